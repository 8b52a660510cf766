package dev.terrarium.services.organizations;

import dev.terrarium.core.auth.CredentialStore;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.ServiceContext;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.service.Tags;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** What Organizations' operation groups share: the organizations, the clock, lookups that fail as Organizations does, and shapes. */
final class OrgSupport {
    final ServiceContext context;
    final CredentialStore credentials;
    /** account id -> its organization (the management account and every member) */
    final Map<String, Organization> byAccount = new ConcurrentHashMap<>();
    final Map<String, Struct> createAccountStatuses = new ConcurrentHashMap<>();
    final Map<String, Organization.Handshake> handshakes = new ConcurrentHashMap<>();

    /** responsibility transfer id -> transfer */
    final Map<String, ResponsibilityTransfers.Transfer> transfers = new ConcurrentHashMap<>();

    OrgSupport(ServiceContext context) {
        this.context = context;
        this.credentials = context.credentials();
    }

    Instant now() {
        return context.clock().now().truncatedTo(ChronoUnit.SECONDS);
    }

    static String servicePrincipal(Struct in) {
        String sp = in.string("ServicePrincipal");
        if (sp == null || !sp.matches("[\\w+=,.@-]+\\.amazonaws\\.com")) {
            throw OrgErrors.invalidInput("UNRECOGNIZED_SERVICE_PRINCIPAL", "You specified an unrecognized service principal.");
        }
        return sp;
    }

    static Map<String, String> tags(Struct in) {
        List<Struct> list = in.structs("Tags");
        return list == null ? Map.of() : Tags.fromList(list, "Key", "Value");
    }

    /** The caller's organization, for any member account. */
    Organization member(Call call) {
        Organization o = byAccount.get(call.account());
        if (o == null) {
            throw OrgErrors.notInUse();
        }
        return o;
    }

    /** The organization, when the caller is its management account. */
    Organization management(Call call) {
        Organization o = member(call);
        if (!o.managementAccount.equals(call.account())) {
            throw OrgErrors.accessDenied();
        }
        return o;
    }

    /** The organization, for its management account and its delegated administrators (read-only operations). */
    Organization reader(Call call) {
        Organization o = member(call);
        if (o.managementAccount.equals(call.account())) {
            return o;
        }
        synchronized (o) {
            boolean delegated = o.delegatedAdministrators.values().stream().anyMatch(a -> a.containsKey(call.account()));
            if (!delegated) {
                throw OrgErrors.accessDenied();
            }
        }
        return o;
    }

    static Organization.Node requireParent(Organization o, String id) {
        Organization.Node n = id == null ? null : o.nodes.get(id);
        if (n == null) {
            throw OrgErrors.parentNotFound();
        }
        return n;
    }

    static Organization.Member requireAccount(Organization o, String id) {
        Organization.Member m = id == null ? null : o.accounts.get(id);
        if (m == null) {
            throw OrgErrors.accountNotFound();
        }
        return m;
    }

    static Struct organization(Organization o) {
        return Struct.of("Id", o.id, "Arn", o.arn("organization/" + o.id), "FeatureSet", o.featureSet,
                "MasterAccountArn", o.accounts.get(o.managementAccount).arn, "MasterAccountId", o.managementAccount,
                "MasterAccountEmail", o.managementEmail,
                "AvailablePolicyTypes", List.of(Struct.of("Type", Organization.SCP, "Status", "ENABLED")));
    }

    static Struct root(Organization o, Organization.Node n) {
        List<Struct> types = o.enabledPolicyTypes.stream().map(t -> Struct.of("Type", t, "Status", "ENABLED")).toList();
        return Struct.of("Id", n.id, "Arn", n.arn, "Name", n.name, "PolicyTypes", new ArrayList<Object>(types));
    }

    static Struct ou(Organization o, Organization.Node n) {
        return Struct.of("Id", n.id, "Arn", n.arn, "Name", n.name, "Path", o.path(n));
    }

    static Struct account(Organization o, Organization.Member m) {
        String status = m.state.equals("ACTIVE") ? "ACTIVE" : m.state.equals("PENDING_CLOSURE") ? "PENDING_CLOSURE" : "SUSPENDED";
        return Struct.of("Id", m.id, "Arn", m.arn, "Email", m.email, "Name", m.name, "Status", status, "State", m.state,
                "JoinedMethod", m.joinedMethod, "JoinedTimestamp", m.joined);
    }

    Struct summary(Organization.OrgPolicy p) {
        return Struct.of("Id", p.id, "Arn", p.arn, "Name", p.name, "Description", p.description, "Type", p.type,
                "AwsManaged", p.awsManaged);
    }

    Struct policy(Organization o, Organization.OrgPolicy p) {
        return Struct.of("PolicySummary", summary(p), "Content", p.content);
    }

    static <T> Struct page(Struct in, List<T> items, Function<T, String> key, String member,
                                   Function<T, Struct> render) {
        Integer max = in.integer("MaxResults");
        if (max != null && (max < 1 || max > 20)) {
            throw OrgErrors.invalidInput("MAX_VALUE_EXCEEDED", "You provided a value that is too high.");
        }
        Pagination.Page<T> page = Pagination.page(items, key, in.string("NextToken"), max == null ? 20 : max,
                () -> OrgErrors.invalidInput("INVALID_NEXT_TOKEN", "You specified an invalid value for nextToken."));
        List<Object> out = new ArrayList<>();
        page.items().forEach(i -> out.add(render.apply(i)));
        return Struct.of(member, out, "NextToken", page.nextToken());
    }
}
