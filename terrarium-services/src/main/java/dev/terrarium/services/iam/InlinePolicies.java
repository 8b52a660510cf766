package dev.terrarium.services.iam;

import dev.terrarium.core.iam.PolicyDocument;
import dev.terrarium.core.iam.PolicyKind;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.ArrayList;
import java.util.List;

import static dev.terrarium.services.iam.IamSupport.*;

/** Inline policies of users, groups and roles. */
final class InlinePolicies {
    private final IamSupport iam;

    InlinePolicies(IamSupport iam) {
        this.iam = iam;
    }

    @AwsOperation("PutUserPolicy")
    public Struct putUserPolicy(Call call, Struct in) { return putInline(call, in, "user"); }

    @AwsOperation("PutGroupPolicy")
    public Struct putGroupPolicy(Call call, Struct in) { return putInline(call, in, "group"); }

    @AwsOperation("PutRolePolicy")
    public Struct putRolePolicy(Call call, Struct in) { return putInline(call, in, "role"); }

    @AwsOperation("GetUserPolicy")
    public Struct getUserPolicy(Call call, Struct in) { return getInline(call, in, "user", "UserName"); }

    @AwsOperation("GetGroupPolicy")
    public Struct getGroupPolicy(Call call, Struct in) { return getInline(call, in, "group", "GroupName"); }

    @AwsOperation("GetRolePolicy")
    public Struct getRolePolicy(Call call, Struct in) { return getInline(call, in, "role", "RoleName"); }

    @AwsOperation("DeleteUserPolicy")
    public Struct deleteUserPolicy(Call call, Struct in) { return deleteInline(call, in, "user"); }

    @AwsOperation("DeleteGroupPolicy")
    public Struct deleteGroupPolicy(Call call, Struct in) { return deleteInline(call, in, "group"); }

    @AwsOperation("DeleteRolePolicy")
    public Struct deleteRolePolicy(Call call, Struct in) { return deleteInline(call, in, "role"); }

    @AwsOperation("ListUserPolicies")
    public Struct listUserPolicies(Call call, Struct in) { return listInline(call, in, "user"); }

    @AwsOperation("ListGroupPolicies")
    public Struct listGroupPolicies(Call call, Struct in) { return listInline(call, in, "group"); }

    @AwsOperation("ListRolePolicies")
    public Struct listRolePolicies(Call call, Struct in) { return listInline(call, in, "role"); }

    private Struct putInline(Call call, Struct in, String type) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.Entity e = iam.entity(a, type, in);
            PolicyDocs.validate(in.string("PolicyDocument"), PolicyKind.IDENTITY);
            e.inlinePolicies.put(in.string("PolicyName"), in.string("PolicyDocument"));
            return Struct.empty();
        }
    }

    private Struct getInline(Call call, Struct in, String type, String nameMember) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.Entity e = iam.entity(a, type, in);
            String doc = e.inlinePolicies.get(in.string("PolicyName"));
            if (doc == null) {
                throw noSuch("The " + type + " policy with name " + in.string("PolicyName") + " cannot be found.");
            }
            return Struct.of(nameMember, e.name, "PolicyName", in.string("PolicyName"), "PolicyDocument", PolicyDocs.encode(doc));
        }
    }

    private Struct deleteInline(Call call, Struct in, String type) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.Entity e = iam.entity(a, type, in);
            if (e.inlinePolicies.remove(in.string("PolicyName")) == null) {
                throw noSuch("The " + type + " policy with name " + in.string("PolicyName") + " cannot be found.");
            }
            return Struct.empty();
        }
    }

    private Struct listInline(Call call, Struct in, String type) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            List<String> names = new ArrayList<>(iam.entity(a, type, in).inlinePolicies.keySet());
            names.sort(null);
            return page(in, names, s -> s, "PolicyNames", s -> s);
        }
    }
}
