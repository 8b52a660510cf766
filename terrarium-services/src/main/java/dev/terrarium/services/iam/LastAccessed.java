package dev.terrarium.services.iam;

import dev.terrarium.core.arn.Arn;
import dev.terrarium.core.iam.PolicyDocument;
import dev.terrarium.core.iam.PolicyKind;
import dev.terrarium.core.iam.Statement;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.terrarium.services.iam.IamSupport.*;

/** The access advisor: service last accessed details and the policies granting a service. */
final class LastAccessed {
    private final IamSupport iam;

    LastAccessed(IamSupport iam) {
        this.iam = iam;
    }

    @AwsOperation("GenerateServiceLastAccessedDetails")
    public Struct generateServiceLastAccessedDetails(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            AccessAdvisor.Job job = AccessAdvisor.generate(iam.state, a, in.string("Arn"), in.string("Granularity"), iam.now(),
                    iam.context.models().services());
            String id = UUID.randomUUID().toString();
            a.accessAdvisorJobs.put(id, job);
            return Struct.of("JobId", id);
        }
    }

    @AwsOperation("GetServiceLastAccessedDetails")
    public Struct getServiceLastAccessedDetails(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            AccessAdvisor.Job job = requireJob(a, in.string("JobId"));
            return page(in, job.services(), s -> s.string("ServiceNamespace"), "ServicesLastAccessed", s -> s)
                    .put("JobStatus", "COMPLETED").put("JobType", job.granularity())
                    .put("JobCreationDate", job.created()).put("JobCompletionDate", job.created());
        }
    }

    @AwsOperation("GetServiceLastAccessedDetailsWithEntities")
    public Struct getServiceLastAccessedDetailsWithEntities(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            AccessAdvisor.Job job = requireJob(a, in.string("JobId"));
            List<Struct> entities = job.entities().getOrDefault(in.string("ServiceNamespace"), List.of());
            return page(in, entities, e -> e.struct("EntityInfo").string("Arn"), "EntityDetailsList", e -> e)
                    .put("JobStatus", "COMPLETED").put("JobCreationDate", job.created()).put("JobCompletionDate", job.created());
        }
    }

    @AwsOperation("GenerateOrganizationsAccessReport")
    public Struct generateOrganizationsAccessReport(Call call, Struct in) {
        dev.terrarium.services.organizations.OrganizationsService orgs = iam.context.peers().findStarted("organizations",
                dev.terrarium.services.organizations.OrganizationsService.class);
        dev.terrarium.services.organizations.OrganizationsService.EntityScope scope = orgs == null ? null
                : orgs.entityScope(call.account(), in.string("EntityPath"), in.string("OrganizationsPolicyId"));
        if (scope == null) {
            throw new AwsException("InvalidInputException",
                    "An organizations access report can only be generated from the management account of an organization.");
        }
        OrganizationsAccessReport report = OrganizationsAccessReport.compute(iam.state, scope, iam.context.models().services(), iam.now());
        IamAccount a = iam.account(call);
        synchronized (a) {
            String id = UUID.randomUUID().toString();
            a.organizationsAccessReports.put(id, report);
            return Struct.of("JobId", id);
        }
    }

    @AwsOperation("GetOrganizationsAccessReport")
    public Struct getOrganizationsAccessReport(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            OrganizationsAccessReport report = a.organizationsAccessReports.get(in.string("JobId"));
            if (report == null) {
                throw noSuch("Job with ID " + in.string("JobId") + " does not exist.");
            }
            List<Struct> rows = report.sorted(in.string("SortKey"));
            List<Integer> positions = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                positions.add(i);
            }
            return page(in, positions, i -> String.format("%06d", i), "AccessDetails", rows::get)
                    .put("JobStatus", "COMPLETED").put("JobCreationDate", report.created()).put("JobCompletionDate", report.created())
                    .put("NumberOfServicesAccessible", report.accessible()).put("NumberOfServicesNotAccessed", report.notAccessed());
        }
    }

    @AwsOperation("ListPoliciesGrantingServiceAccess")
    public Struct listPoliciesGrantingServiceAccess(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Arn arn = Arn.parse(in.string("Arn"));
            AccessAdvisor.subjects(iam.state, a, in.string("Arn"));
            List<Principals.Entity> owners = new ArrayList<>();
            switch (arn.resourceType()) {
                case "user" -> {
                    Principals.User u = a.users.get(arn.resourceName());
                    owners.add(u);
                    u.groups.forEach(g -> owners.add(a.groups.get(g)));
                }
                case "role" -> owners.add(a.roles.get(arn.resourceName()));
                case "group" -> owners.add(a.groups.get(arn.resourceName()));
                default -> throw new AwsException("InvalidInputException", "Invalid ARN: " + in.string("Arn"));
            }
            List<Struct> entries = new ArrayList<>();
            for (String ns : in.strings("ServiceNamespaces")) {
                List<Object> granting = new ArrayList<>();
                for (Principals.Entity e : owners) {
                    String type = e instanceof Principals.User ? "USER" : e instanceof Principals.Group ? "GROUP" : "ROLE";
                    e.inlinePolicies.forEach((name, doc) -> {
                        if (grants(doc, ns)) {
                            granting.add(Struct.of("PolicyName", name, "PolicyType", "INLINE", "EntityType", type,
                                    "EntityName", e.name));
                        }
                    });
                    for (String policyArn : e.attached) {
                        Principals.ManagedPolicy p = iam.state.policy(a, policyArn);
                        if (p != null && grants(p.defaultDocument(), ns)) {
                            granting.add(Struct.of("PolicyName", p.name, "PolicyType", "MANAGED", "PolicyArn", p.arn));
                        }
                    }
                }
                entries.add(Struct.of("ServiceNamespace", ns, "Policies", granting));
            }
            return Struct.of("PoliciesGrantingServiceAccess", entries, "IsTruncated", false);
        }
    }

    private static boolean grants(String document, String namespace) {
        for (Statement s : PolicyDocument.parse(document, PolicyKind.IDENTITY).statements()) {
            if (s.effect() == dev.terrarium.core.iam.Effect.ALLOW
                    && (s.notAction() || s.actions().stream().anyMatch(action -> AccessAdvisor.grants(action, namespace)))) {
                return true;
            }
        }
        return false;
    }

    private static AccessAdvisor.Job requireJob(IamAccount a, String id) {
        AccessAdvisor.Job job = id == null ? null : a.accessAdvisorJobs.get(id);
        if (job == null) {
            throw noSuch("No such job " + id);
        }
        return job;
    }
}
