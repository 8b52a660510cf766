package dev.terrarium.services.s3;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Object Lock: retention (GOVERNANCE, COMPLIANCE) and legal hold, set on write and enforced on delete. */
final class ObjectLocks {
    static final String CONFIG = "ObjectLock";

    private ObjectLocks() {}

    static void checkWrite(Bucket b, Struct in) {
        if ((in.get("ObjectLockMode") != null || in.get("ObjectLockLegalHoldStatus") != null) && !b.objectLockEnabled) {
            throw S3Errors.invalidRequest("Bucket is missing Object Lock Configuration");
        }
        if ((in.get("ObjectLockMode") == null) != (in.get("ObjectLockRetainUntilDate") == null)) {
            throw S3Errors.invalidArgument("x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both "
                    + "be supplied", "x-amz-object-lock-retain-until-date", null);
        }
    }

    /** The request's retention and legal hold, else the bucket's default retention. */
    static void applyOnWrite(Bucket b, S3Object o, Struct in) {
        if (!b.objectLockEnabled) {
            return;
        }
        if (in.get("ObjectLockMode") != null) {
            o.retention = Struct.of("Mode", in.string("ObjectLockMode"),
                    "RetainUntilDate", in.timestamp("ObjectLockRetainUntilDate"));
        } else if (b.configs.get(CONFIG) instanceof Struct config && config.struct("Rule") != null) {
            Struct retention = config.struct("Rule").struct("DefaultRetention");
            if (retention != null) {
                Instant until = retention.get("Days") != null
                        ? o.lastModified.plus(retention.integer("Days"), ChronoUnit.DAYS)
                        : o.lastModified.plus(365L * retention.integer("Years", 0), ChronoUnit.DAYS);
                o.retention = Struct.of("Mode", retention.string("Mode"), "RetainUntilDate", until);
            }
        }
        o.legalHold = in.string("ObjectLockLegalHoldStatus");
    }

    static void checkDelete(S3Object v, boolean bypassGovernance, Instant now) {
        if ("ON".equals(v.legalHold)) {
            throw S3Errors.accessDenied("Access Denied because object protected by object lock.");
        }
        Struct r = v.retention;
        if (r != null && r.timestamp("RetainUntilDate") != null && r.timestamp("RetainUntilDate").isAfter(now)) {
            if ("COMPLIANCE".equals(r.string("Mode")) || !bypassGovernance) {
                throw S3Errors.accessDenied("Access Denied because object protected by object lock.");
            }
        }
    }

    /** A retention change: COMPLIANCE can only be extended; GOVERNANCE shortened only with bypass. */
    static void checkRetentionChange(S3Object o, Struct next, boolean bypassGovernance, Instant now) {
        Struct current = o.retention;
        if (current == null || current.timestamp("RetainUntilDate") == null
                || !current.timestamp("RetainUntilDate").isAfter(now)) {
            return;
        }
        Instant until = next == null ? null : next.timestamp("RetainUntilDate");
        boolean weaker = until == null || until.isBefore(current.timestamp("RetainUntilDate"))
                || !"COMPLIANCE".equals(next.string("Mode")) && "COMPLIANCE".equals(current.string("Mode"));
        if (weaker && ("COMPLIANCE".equals(current.string("Mode")) || !bypassGovernance)) {
            throw new AwsException("AccessDenied", "Access Denied because object protected by object lock.", 403);
        }
    }
}
