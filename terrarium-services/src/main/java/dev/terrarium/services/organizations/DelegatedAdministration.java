package dev.terrarium.services.organizations;

import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.terrarium.services.organizations.OrgSupport.*;

/** Trusted access for AWS services and delegated administrators. */
final class DelegatedAdministration {
    private final OrgSupport org;

    DelegatedAdministration(OrgSupport org) {
        this.org = org;
    }

    @AwsOperation("RegisterDelegatedAdministrator")
    public Struct registerDelegatedAdministrator(Call call, Struct in) {
        Organization o = org.management(call);
        synchronized (o) {
            Organization.Member m = requireAccount(o, in.string("AccountId"));
            if (m.id.equals(o.managementAccount)) {
                throw OrgErrors.constraint("CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR",
                        "You cannot register the management account of an organization as a delegated administrator.");
            }
            Map<String, Instant> admins = o.delegatedAdministrators.computeIfAbsent(servicePrincipal(in), k -> new java.util.TreeMap<>());
            if (admins.containsKey(m.id)) {
                throw OrgErrors.of("AccountAlreadyRegisteredException",
                        "The provided account is already a delegated administrator for your organization.");
            }
            admins.put(m.id, org.now());
            return Struct.empty();
        }
    }

    @AwsOperation("DeregisterDelegatedAdministrator")
    public Struct deregisterDelegatedAdministrator(Call call, Struct in) {
        Organization o = org.management(call);
        synchronized (o) {
            Organization.Member m = requireAccount(o, in.string("AccountId"));
            Map<String, Instant> admins = o.delegatedAdministrators.get(servicePrincipal(in));
            if (admins == null || admins.remove(m.id) == null) {
                throw OrgErrors.of("AccountNotRegisteredException",
                        "The provided account is not a registered delegated administrator for your organization.");
            }
            return Struct.empty();
        }
    }

    @AwsOperation("ListDelegatedAdministrators")
    public Struct listDelegatedAdministrators(Call call, Struct in) {
        Organization o = org.reader(call);
        synchronized (o) {
            String service = in.string("ServicePrincipal");
            Map<String, Instant> since = new java.util.TreeMap<>();
            o.delegatedAdministrators.forEach((svc, admins) -> {
                if (service == null || service.equals(svc)) {
                    admins.forEach(since::putIfAbsent);
                }
            });
            List<Organization.Member> ms = since.keySet().stream().map(o.accounts::get).filter(java.util.Objects::nonNull).toList();
            return page(in, ms, m -> m.id, "DelegatedAdministrators", m -> {
                Struct a = account(o, m);
                return Struct.of("Id", a.get("Id"), "Arn", a.get("Arn"), "Email", a.get("Email"), "Name", a.get("Name"),
                        "Status", a.get("Status"), "State", a.get("State"), "JoinedMethod", a.get("JoinedMethod"),
                        "JoinedTimestamp", a.get("JoinedTimestamp"), "DelegationEnabledDate", since.get(m.id));
            });
        }
    }

    @AwsOperation("ListDelegatedServicesForAccount")
    public Struct listDelegatedServicesForAccount(Call call, Struct in) {
        Organization o = org.reader(call);
        synchronized (o) {
            Organization.Member m = requireAccount(o, in.string("AccountId"));
            List<Struct> services = new ArrayList<>();
            o.delegatedAdministrators.forEach((svc, admins) -> {
                if (admins.containsKey(m.id)) {
                    services.add(Struct.of("ServicePrincipal", svc, "DelegationEnabledDate", admins.get(m.id)));
                }
            });
            if (services.isEmpty()) {
                throw OrgErrors.of("AccountNotRegisteredException",
                        "The provided account is not a registered delegated administrator for your organization.");
            }
            return page(in, services, s -> s.string("ServicePrincipal"), "DelegatedServices", s -> s);
        }
    }

    @AwsOperation("EnableAWSServiceAccess")
    public Struct enableAwsServiceAccess(Call call, Struct in) {
        Organization o = org.management(call);
        synchronized (o) {
            o.serviceAccess.putIfAbsent(servicePrincipal(in), org.now());
            return Struct.empty();
        }
    }

    @AwsOperation("DisableAWSServiceAccess")
    public Struct disableAwsServiceAccess(Call call, Struct in) {
        Organization o = org.management(call);
        synchronized (o) {
            o.serviceAccess.remove(servicePrincipal(in));
            return Struct.empty();
        }
    }

    @AwsOperation("ListAWSServiceAccessForOrganization")
    public Struct listAwsServiceAccessForOrganization(Call call, Struct in) {
        Organization o = org.reader(call);
        synchronized (o) {
            return page(in, List.copyOf(o.serviceAccess.keySet()), Function.identity(), "EnabledServicePrincipals",
                    s -> Struct.of("ServicePrincipal", s, "DateEnabled", o.serviceAccess.get(s)));
        }
    }
}
