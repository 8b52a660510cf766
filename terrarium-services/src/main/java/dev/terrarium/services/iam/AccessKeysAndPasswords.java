package dev.terrarium.services.iam;

import dev.terrarium.core.auth.AccessKeys;
import dev.terrarium.core.auth.Identity;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.util.List;

import static dev.terrarium.services.iam.IamSupport.*;

/** Access keys (which really sign requests), login profiles and passwords. */
final class AccessKeysAndPasswords {
    private final IamSupport iam;

    AccessKeysAndPasswords(IamSupport iam) {
        this.iam = iam;
    }

    @AwsOperation("CreateAccessKey")
    public Struct createAccessKey(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, userOrCaller(call, in));
            long count = a.accessKeys.values().stream().filter(k -> k.userName.equals(u.name)).count();
            if (count >= 2) {
                throw new AwsException("LimitExceededException", "Cannot exceed quota for AccessKeysPerUser: 2");
            }
            Principals.AccessKey key = new Principals.AccessKey(AccessKeys.longTerm(a.id), AccessKeys.secret(), u.name, iam.now());
            a.accessKeys.put(key.id, key);
            iam.state.register(a, key);
            return Struct.of("AccessKey", Struct.of("UserName", u.name, "AccessKeyId", key.id, "Status", key.status,
                    "SecretAccessKey", key.secret, "CreateDate", key.created));
        }
    }

    @AwsOperation("ListAccessKeys")
    public Struct listAccessKeys(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, userOrCaller(call, in));
            List<Principals.AccessKey> keys = a.accessKeys.values().stream().filter(k -> k.userName.equals(u.name)).toList();
            return page(in, keys, k -> k.id, "AccessKeyMetadata", k -> Struct.of("UserName", k.userName,
                    "AccessKeyId", k.id, "Status", k.status, "CreateDate", k.created));
        }
    }

    @AwsOperation("UpdateAccessKey")
    public Struct updateAccessKey(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.AccessKey k = requireKey(a, in.string("AccessKeyId"), userOrCaller(call, in));
            k.status = in.string("Status");
            if ("Active".equals(k.status)) {
                iam.state.register(a, k);
            } else {
                iam.context.credentials().revoke(k.id);
            }
            return Struct.empty();
        }
    }

    @AwsOperation("DeleteAccessKey")
    public Struct deleteAccessKey(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.AccessKey k = requireKey(a, in.string("AccessKeyId"), userOrCaller(call, in));
            a.accessKeys.remove(k.id);
            iam.context.credentials().revoke(k.id);
            return Struct.empty();
        }
    }

    @AwsOperation("GetAccessKeyLastUsed")
    public Struct getAccessKeyLastUsed(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.AccessKey k = a.accessKeys.get(in.string("AccessKeyId"));
            if (k == null) {
                throw new AwsException("AccessDenied", "The Access Key with id " + in.string("AccessKeyId")
                        + " cannot be found", 403);
            }
            return Struct.of("UserName", k.userName, "AccessKeyLastUsed", Struct.of("LastUsedDate", k.lastUsed,
                    "ServiceName", k.lastService == null ? "N/A" : k.lastService,
                    "Region", k.lastRegion == null ? "N/A" : k.lastRegion));
        }
    }

    @AwsOperation("CreateLoginProfile")
    public Struct createLoginProfile(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, userOrCaller(call, in));
            if (u.loginProfile != null) {
                throw exists("Login Profile for user " + u.name + " already exists.");
            }
            checkPassword(a, in.string("Password"));
            u.loginProfile = new Principals.LoginProfile();
            u.loginProfile.created = iam.now();
            u.loginProfile.password = in.string("Password");
            u.loginProfile.resetRequired = in.bool("PasswordResetRequired", false);
            return Struct.of("LoginProfile", loginProfile(u));
        }
    }

    @AwsOperation("GetLoginProfile")
    public Struct getLoginProfile(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            return Struct.of("LoginProfile", loginProfile(requireLoginProfile(a, userOrCaller(call, in))));
        }
    }

    @AwsOperation("UpdateLoginProfile")
    public Struct updateLoginProfile(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.User u = requireLoginProfile(a, in.string("UserName"));
            if (in.string("Password") != null) {
                checkPassword(a, in.string("Password"));
                u.loginProfile.password = in.string("Password");
            }
            if (in.has("PasswordResetRequired")) {
                u.loginProfile.resetRequired = in.bool("PasswordResetRequired");
            }
            return Struct.empty();
        }
    }

    @AwsOperation("DeleteLoginProfile")
    public Struct deleteLoginProfile(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            requireLoginProfile(a, userOrCaller(call, in)).loginProfile = null;
            return Struct.empty();
        }
    }

    private static Struct loginProfile(Principals.User u) {
        return Struct.of("UserName", u.name, "CreateDate", u.loginProfile.created,
                "PasswordResetRequired", u.loginProfile.resetRequired);
    }

    private static Principals.AccessKey requireKey(IamAccount a, String id, String user) {
        Principals.AccessKey k = a.accessKeys.get(id);
        if (k == null || !k.userName.equals(user)) {
            throw noSuch("The Access Key with id " + id + " cannot be found.");
        }
        return k;
    }

    static void checkPassword(IamAccount a, String password) {
        int min = a.passwordPolicy == null ? 6 : (Integer) a.passwordPolicy.get("MinimumPasswordLength");
        if (password == null || password.length() < min) {
            throw new AwsException("PasswordPolicyViolationException", "Password does not conform to the account password policy.");
        }
    }

    @AwsOperation("ChangePassword")
    public Struct changePassword(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Identity id = call.identity();
            if (id.kind() != Identity.Kind.USER) {
                throw new AwsException("InvalidUserTypeException", "Only IAM users can change their own password.");
            }
            Principals.User u = requireLoginProfile(a, id.arn().substring(id.arn().lastIndexOf('/') + 1));
            if (u.loginProfile.password != null && !u.loginProfile.password.equals(in.string("OldPassword"))) {
                throw new AwsException("InvalidUserTypeException", "The old password is incorrect.");
            }
            checkPassword(a, in.string("NewPassword"));
            u.loginProfile.password = in.string("NewPassword");
            u.loginProfile.resetRequired = false;
            return Struct.empty();
        }
    }

    static Principals.User requireLoginProfile(IamAccount a, String user) {
        Principals.User u = requireUser(a, user);
        if (u.loginProfile == null) {
            throw noSuch("Login Profile for User " + u.name + " cannot be found.");
        }
        return u;
    }
}
