package dev.terrarium.services.iam;

import dev.terrarium.core.arn.Arn;
import dev.terrarium.core.iam.Condition;
import dev.terrarium.core.iam.PolicyKind;
import dev.terrarium.core.iam.Statement;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static dev.terrarium.services.iam.IamSupport.*;

/** The policy simulator and the context keys policies use. */
final class PolicySimulation {
    private final IamSupport iam;

    PolicySimulation(IamSupport iam) {
        this.iam = iam;
    }

    @AwsOperation("SimulatePrincipalPolicy")
    public Struct simulatePrincipalPolicy(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            return Simulation.principal(iam.state, a, in);
        }
    }

    @AwsOperation("SimulateCustomPolicy")
    public Struct simulateCustomPolicy(Call call, Struct in) {
        return Simulation.custom(in);
    }

    @AwsOperation("GetContextKeysForCustomPolicy")
    public Struct getContextKeysForCustomPolicy(Call call, Struct in) {
        return Struct.of("ContextKeyNames", new ArrayList<Object>(contextKeys(in.strings("PolicyInputList"))));
    }

    @AwsOperation("GetContextKeysForPrincipalPolicy")
    public Struct getContextKeysForPrincipalPolicy(Call call, Struct in) {
        IamAccount a = iam.account(call);
        List<String> documents = new ArrayList<>(in.strings("PolicyInputList") == null ? List.of() : in.strings("PolicyInputList"));
        synchronized (a) {
            Arn arn = Arn.parse(in.string("PolicySourceArn"));
            if (arn == null || !"iam".equals(arn.service())) {
                throw new AwsException("InvalidInputException", "Invalid ARN: " + in.string("PolicySourceArn"));
            }
            Principals.Entity e = switch (arn.resourceType()) {
                case "user" -> a.users.get(arn.resourceName());
                case "group" -> a.groups.get(arn.resourceName());
                case "role" -> a.roles.get(arn.resourceName());
                default -> null;
            };
            if (e == null) {
                throw noSuch("The entity " + in.string("PolicySourceArn") + " does not exist.");
            }
            List<Principals.Entity> owners = new ArrayList<>(List.of(e));
            if (e instanceof Principals.User u) {
                u.groups.forEach(g -> owners.add(a.groups.get(g)));
            }
            for (Principals.Entity owner : owners) {
                documents.addAll(owner.inlinePolicies.values());
                owner.attached.forEach(p -> {
                    Principals.ManagedPolicy mp = iam.state.policy(a, p);
                    if (mp != null) {
                        documents.add(mp.defaultDocument());
                    }
                });
            }
        }
        return Struct.of("ContextKeyNames", new ArrayList<Object>(contextKeys(documents)));
    }

    private static TreeSet<String> contextKeys(List<String> documents) {
        TreeSet<String> keys = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        if (documents != null) {
            for (String doc : documents) {
                for (Statement s : PolicyDocs.validate(doc, PolicyKind.IDENTITY).statements()) {
                    for (Condition c : s.conditions()) {
                        keys.add(c.key());
                    }
                }
            }
        }
        return keys;
    }
}
