package dev.terrarium.services.iam;

import dev.terrarium.core.iam.Effect;
import dev.terrarium.core.iam.Policy;
import dev.terrarium.core.iam.Statement;
import dev.terrarium.core.model.ServiceInfo;
import dev.terrarium.core.service.Struct;
import dev.terrarium.services.organizations.OrganizationsService;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An organizations access report, computed when generated: for an entity of an organization (root, OU or account),
 * the services its SCPs allow (or one SCP's, when asked), and per service when principals of the accounts under the
 * entity last reached it (the authorizer records each use, so with --enforce-iam).
 */
record OrganizationsAccessReport(Instant created, List<Struct> details, int accessible, int notAccessed) {

    static OrganizationsAccessReport compute(IamState state, OrganizationsService.EntityScope scope, Iterable<ServiceInfo> services,
                                             Instant now) {
        Map<String, String> names = new TreeMap<>();
        for (ServiceInfo s : services) {
            if (s.signingName() != null) {
                names.putIfAbsent(s.signingName(), s.serviceId() == null ? s.name() : s.serviceId());
            }
        }
        List<Struct> details = new ArrayList<>();
        int notAccessed = 0;
        for (Map.Entry<String, String> service : names.entrySet()) {
            String ns = service.getKey();
            if (scope.scpsEnabled() && !allowedByEveryLevel(scope.serviceControlPolicies(), ns)) {
                continue;
            }
            Principals.LastAccess last = null;
            String lastPath = null;
            int entities = 0;
            for (Map.Entry<String, String> account : scope.accountPaths().entrySet()) {
                IamAccount a = state.existing(account.getKey());
                if (a == null) {
                    continue;
                }
                Principals.LastAccess latest = null;
                synchronized (a) {
                    for (Map<String, Principals.LastAccess> byService : a.lastAccess.values()) {
                        Principals.LastAccess la = byService.get(ns);
                        if (la != null && (latest == null || la.when().isAfter(latest.when()))) {
                            latest = la;
                        }
                    }
                }
                if (latest != null) {
                    entities++;
                    if (last == null || latest.when().isAfter(last.when())) {
                        last = latest;
                        lastPath = account.getValue();
                    }
                }
            }
            if (last == null) {
                notAccessed++;
            }
            details.add(Struct.of("ServiceName", service.getValue(), "ServiceNamespace", ns,
                    "Region", last == null ? null : last.region(), "EntityPath", lastPath,
                    "LastAuthenticatedTime", last == null ? null : last.when(), "TotalAuthenticatedEntities", entities));
        }
        return new OrganizationsAccessReport(now, details, details.size(), notAccessed);
    }

    /** Whether every SCP level has a statement allowing some action of the service and none denying all of them. */
    static boolean allowedByEveryLevel(List<List<Policy>> levels, String ns) {
        for (List<Policy> level : levels) {
            boolean allowed = false;
            for (Policy p : level) {
                for (Statement s : p.document().statements()) {
                    boolean reaches = s.notAction() ? s.actions().stream().noneMatch(a -> a.equals("*") || a.equalsIgnoreCase(ns + ":*"))
                            : s.actions().stream().anyMatch(a -> AccessAdvisor.grants(a, ns));
                    boolean wholeService = !s.notAction() && s.actions().stream().anyMatch(a -> a.equals("*") || a.equalsIgnoreCase(ns + ":*"));
                    boolean allResources = s.resources() == null || (s.resources().contains("*") && !s.notResource());
                    if (s.effect() == Effect.DENY && wholeService && allResources && s.conditions().isEmpty()) {
                        return false;
                    }
                    allowed |= s.effect() == Effect.ALLOW && reaches;
                }
            }
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    List<Struct> sorted(String sortKey) {
        Comparator<Struct> byNamespace = Comparator.comparing(d -> d.string("ServiceNamespace"));
        Comparator<Struct> byTime = Comparator.comparing(d -> (Instant) d.get("LastAuthenticatedTime"),
                Comparator.nullsFirst(Comparator.naturalOrder()));
        Comparator<Struct> order = switch (sortKey == null ? "SERVICE_NAMESPACE_ASCENDING" : sortKey) {
            case "SERVICE_NAMESPACE_DESCENDING" -> byNamespace.reversed();
            case "LAST_AUTHENTICATED_TIME_ASCENDING" -> byTime.thenComparing(byNamespace);
            case "LAST_AUTHENTICATED_TIME_DESCENDING" -> byTime.reversed().thenComparing(byNamespace);
            default -> byNamespace;
        };
        List<Struct> out = new ArrayList<>(details);
        out.sort(order);
        return out;
    }
}
