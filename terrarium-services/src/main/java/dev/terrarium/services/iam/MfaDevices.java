package dev.terrarium.services.iam;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;
import dev.terrarium.core.service.Tags;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.terrarium.services.iam.IamSupport.*;

/** Virtual MFA devices: create, enable, resync, deactivate, tags. */
final class MfaDevices {
    private final IamSupport iam;

    MfaDevices(IamSupport iam) {
        this.iam = iam;
    }

    @AwsOperation("CreateVirtualMFADevice")
    public Struct createVirtualMfaDevice(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            String serial = a.arn("mfa", in.string("Path", "/"), in.string("VirtualMFADeviceName"));
            if (a.mfaDevices.containsKey(serial)) {
                throw exists("MFADevice entity at the same path and name already exists.");
            }
            byte[] seed = new byte[20];
            new java.security.SecureRandom().nextBytes(seed);
            String base32 = Base64.getEncoder().encodeToString(seed);
            Principals.MfaDevice d = new Principals.MfaDevice(serial, base32, iam.now());
            d.tags.putAll(tags(in));
            a.mfaDevices.put(serial, d);
            return Struct.of("VirtualMFADevice", Struct.of("SerialNumber", serial,
                    "Base32StringSeed", base32.getBytes(StandardCharsets.US_ASCII),
                    "QRCodePNG", ("otpauth://totp/" + in.string("VirtualMFADeviceName")).getBytes(StandardCharsets.US_ASCII),
                    "Tags", d.tags.isEmpty() ? null : tagList(d.tags)));
        }
    }

    @AwsOperation("EnableMFADevice")
    public Struct enableMfaDevice(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, in.string("UserName"));
            String serial = in.string("SerialNumber");
            Principals.MfaDevice d = a.mfaDevices.computeIfAbsent(serial, s -> new Principals.MfaDevice(s, null, iam.now()));
            if (d.userName != null) {
                throw exists("MFA Device is already in use.");
            }
            checkAuthenticationCodes(in);
            d.userName = u.name;
            d.enabled = iam.now();
            u.mfaSerials.add(serial);
            return Struct.empty();
        }
    }

    @AwsOperation("DeactivateMFADevice")
    public Struct deactivateMfaDevice(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, in.string("UserName"));
            Principals.MfaDevice d = requireMfaDeviceOf(a, u, in.string("SerialNumber"));
            d.userName = null;
            d.enabled = null;
            u.mfaSerials.remove(d.serial);
            if (d.seed == null) {
                a.mfaDevices.remove(d.serial);
            }
            return Struct.empty();
        }
    }

    @AwsOperation("ListMFADevices")
    public Struct listMfaDevices(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, userOrCaller(call, in));
            List<Object> out = new ArrayList<>();
            for (String s : u.mfaSerials) {
                Principals.MfaDevice d = a.mfaDevices.get(s);
                out.add(Struct.of("UserName", u.name, "SerialNumber", s, "EnableDate", d.enabled));
            }
            return Struct.of("MFADevices", out, "IsTruncated", false);
        }
    }

    @AwsOperation("ListVirtualMFADevices")
    public Struct listVirtualMfaDevices(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            String status = in.string("AssignmentStatus", "Any");
            List<Object> out = new ArrayList<>();
            for (Principals.MfaDevice d : a.mfaDevices.values()) {
                boolean assigned = d.userName != null;
                if (d.seed == null || (status.equals("Assigned") && !assigned) || (status.equals("Unassigned") && assigned)) {
                    continue;
                }
                Principals.User u = assigned ? a.users.get(d.userName) : null;
                out.add(Struct.of("SerialNumber", d.serial, "User", u == null ? null : iam.user(u).put("Tags", null),
                        "EnableDate", d.enabled));
            }
            return Struct.of("VirtualMFADevices", out, "IsTruncated", false);
        }
    }

    @AwsOperation("DeleteVirtualMFADevice")
    public Struct deleteVirtualMfaDevice(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.MfaDevice d = a.mfaDevices.get(in.string("SerialNumber"));
            if (d == null) {
                throw noSuch("VirtualMFADevice with serial number " + in.string("SerialNumber") + " doesn't exist.");
            }
            if (d.userName != null) {
                throw conflict("MFA device is still in use.");
            }
            a.mfaDevices.remove(d.serial);
            return Struct.empty();
        }
    }

    @AwsOperation("TagMFADevice")
    public Struct tagMfaDevice(Call call, Struct in) {
        return iam.tag(call, in, a -> mfaTags(a, in));
    }

    @AwsOperation("UntagMFADevice")
    public Struct untagMfaDevice(Call call, Struct in) {
        return iam.untag(call, in, a -> mfaTags(a, in));
    }

    @AwsOperation("ListMFADeviceTags")
    public Struct listMfaDeviceTags(Call call, Struct in) {
        return iam.listTags(call, in, a -> mfaTags(a, in));
    }

    private static Map<String, String> mfaTags(IamAccount a, Struct in) {
        Principals.MfaDevice d = a.mfaDevices.get(in.string("SerialNumber"));
        if (d == null) {
            throw noSuch("MFA Device with serial number " + in.string("SerialNumber") + " does not exist.");
        }
        return d.tags;
    }

    @AwsOperation("GetMFADevice")
    public Struct getMfaDevice(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.MfaDevice d = a.mfaDevices.get(in.string("SerialNumber"));
            String user = in.string("UserName");
            if (d == null || (user != null && !user.equals(d.userName))) {
                throw noSuch("MFA Device with serial number " + in.string("SerialNumber") + " does not exist.");
            }
            return Struct.of("UserName", d.userName, "SerialNumber", d.serial, "EnableDate", d.enabled);
        }
    }

    @AwsOperation("ResyncMFADevice")
    public Struct resyncMfaDevice(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            Principals.User u = requireUser(a, in.string("UserName"));
            requireMfaDeviceOf(a, u, in.string("SerialNumber"));
            checkAuthenticationCodes(in);
            return Struct.empty();
        }
    }

    /** The MFA device {@code serial}, which must be enabled for user {@code u}. */
    static Principals.MfaDevice requireMfaDeviceOf(IamAccount a, Principals.User u, String serial) {
        Principals.MfaDevice d = a.mfaDevices.get(serial);
        if (d == null || !u.name.equals(d.userName)) {
            throw noSuch("MFA Device with serial number " + serial + " does not exist.");
        }
        return d;
    }

    static void checkAuthenticationCodes(Struct in) {
        for (String code : List.of(in.string("AuthenticationCode1"), in.string("AuthenticationCode2"))) {
            if (code == null || !code.matches("\\d{6}")) {
                throw new AwsException("InvalidAuthenticationCodeException", "Authentication code for device is not valid.");
            }
        }
    }
}
