package dev.terrarium.services.iam;

import dev.terrarium.core.arn.Arn;
import dev.terrarium.core.iam.Effect;
import dev.terrarium.core.iam.Policy;
import dev.terrarium.core.iam.Statement;
import dev.terrarium.core.model.ServiceInfo;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Access advisor ("last accessed" data): which services an entity's policies allow, and when users and
 * roles last used each (recorded by the authorizer, so only with --enforce-iam). A report is computed when
 * its job is generated and then read back page by page.
 */
final class AccessAdvisor {
    private AccessAdvisor() {
    }

    /** A generated report: per service namespace, its row and the entities that reached it. */
    record Job(String arn, String granularity, Instant created, List<Struct> services, Map<String, List<Struct>> entities) {
    }

    /** The users and roles a report is about (a group's members, a policy's users, groups' members and roles). */
    static List<Principals.Entity> subjects(IamState state, IamAccount a, String arnText) {
        Arn arn = Arn.parse(arnText);
        if (arn == null || !"iam".equals(arn.service())) {
            throw new AwsException("InvalidInputException", "Invalid ARN: " + arnText);
        }
        String name = arn.resourceName();
        List<Principals.Entity> out = new ArrayList<>();
        switch (arn.resourceType()) {
            case "user" -> out.add(require(a.users.get(name), arnText));
            case "role" -> out.add(require(a.roles.get(name), arnText));
            case "group" -> require(a.groups.get(name), arnText).members.forEach(m -> out.add(a.users.get(m)));
            case "policy" -> {
                require(state.policy(a, arnText), arnText);
                a.users.values().stream().filter(u -> u.attached.contains(arnText)
                        || u.groups.stream().anyMatch(g -> a.groups.get(g).attached.contains(arnText))).forEach(out::add);
                a.roles.values().stream().filter(r -> r.attached.contains(arnText)).forEach(out::add);
            }
            default -> throw new AwsException("InvalidInputException", "Invalid ARN: " + arnText);
        }
        return out;
    }

    static Job generate(IamState state, IamAccount a, String arnText, String granularity, Instant now,
                        Iterable<ServiceInfo> services) {
        List<Principals.Entity> subjects = subjects(state, a, arnText);
        TreeSet<String> namespaces = new TreeSet<>();
        Map<String, String> names = new TreeMap<>();
        for (ServiceInfo s : services) {
            if (s.signingName() != null) {
                names.putIfAbsent(s.signingName(), s.serviceId() == null ? s.name() : s.serviceId());
            }
        }
        List<Policy> policies = new ArrayList<>();
        Arn arn = Arn.parse(arnText);
        if (arn.resourceType().equals("policy")) {
            Principals.ManagedPolicy p = state.policy(a, arnText);
            policies.add(PolicyDocs.policy(arnText, p.defaultDocument(), dev.terrarium.core.iam.PolicyKind.IDENTITY));
        } else if (arn.resourceType().equals("group")) {
            Principals.Group g = a.groups.get(arn.resourceName());
            policies.addAll(EffectivePolicies.of(state, a, g).identity());
        } else {
            policies.addAll(EffectivePolicies.of(state, a, subjects.get(0)).identity());
        }
        for (Policy p : policies) {
            for (Statement st : p.document().statements()) {
                if (st.effect() != Effect.ALLOW) {
                    continue;
                }
                for (String ns : names.keySet()) {
                    if (st.notAction() || st.actions().stream().anyMatch(action -> grants(action, ns))) {
                        namespaces.add(ns);
                    }
                }
            }
        }
        List<Struct> rows = new ArrayList<>();
        Map<String, List<Struct>> entities = new LinkedHashMap<>();
        for (String ns : namespaces) {
            Principals.LastAccess last = null;
            int count = 0;
            List<Struct> perEntity = new ArrayList<>();
            for (Principals.Entity e : subjects) {
                Principals.LastAccess la = a.lastAccess.getOrDefault(e.arn, Map.of()).get(ns);
                perEntity.add(Struct.of("EntityInfo", Struct.of("Arn", e.arn, "Name", e.name,
                        "Type", e instanceof Principals.Role ? "ROLE" : "USER", "Id", e.id, "Path", e.path),
                        "LastAuthenticated", la == null ? null : la.when()));
                if (la != null) {
                    count++;
                    if (last == null || la.when().isAfter(last.when())) {
                        last = la;
                    }
                }
            }
            rows.add(Struct.of("ServiceName", names.get(ns), "ServiceNamespace", ns,
                    "LastAuthenticated", last == null ? null : last.when(),
                    "LastAuthenticatedEntity", last == null ? null : last.entityArn(),
                    "LastAuthenticatedRegion", last == null ? null : last.region(),
                    "TotalAuthenticatedEntities", count));
            entities.put(ns, perEntity);
        }
        return new Job(arnText, granularity == null ? "SERVICE_LEVEL" : granularity, now, rows, entities);
    }

    /** Whether an Action pattern ("s3:Get*", "*", "s3*:*") reaches a service namespace. */
    static boolean grants(String action, String namespace) {
        int colon = action.indexOf(':');
        String prefix = colon < 0 ? action : action.substring(0, colon);
        String regex = prefix.toLowerCase().replace(".", "\\.").replace("?", ".").replace("*", ".*");
        return namespace.toLowerCase().matches(regex);
    }

    private static <T> T require(T found, String arn) {
        if (found == null) {
            throw new AwsException("NoSuchEntityException", "The entity " + arn + " does not exist.");
        }
        return found;
    }
}
