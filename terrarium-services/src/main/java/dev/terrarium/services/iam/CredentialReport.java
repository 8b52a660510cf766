package dev.terrarium.services.iam;

import dev.terrarium.core.protocol.Timestamps;

import java.time.Instant;
import java.util.List;

/** The credential report: one CSV line per user (and the root account), with AWS's columns. */
final class CredentialReport {
    private static final String HEADER = "user,arn,user_creation_time,password_enabled,password_last_used,"
            + "password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
            + "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
            + "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,"
            + "access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

    private CredentialReport() {
    }

    static String csv(IamAccount a) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        sb.append("<root_account>,arn:aws:iam::").append(a.id).append(":root,")
                .append(time(Instant.EPOCH)).append(",not_supported,no_information,not_supported,not_supported,false,")
                .append("false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n");
        for (Principals.User u : a.users.values()) {
            List<Principals.AccessKey> keys = a.accessKeys.values().stream().filter(k -> k.userName.equals(u.name)).toList();
            boolean password = u.loginProfile != null;
            sb.append(u.name).append(',').append(u.arn).append(',').append(time(u.created)).append(',')
                    .append(password).append(",no_information,")
                    .append(password ? time(u.loginProfile.created) : "N/A").append(",N/A,")
                    .append(!u.mfaSerials.isEmpty());
            for (int i = 0; i < 2; i++) {
                Principals.AccessKey k = i < keys.size() ? keys.get(i) : null;
                if (k == null) {
                    sb.append(",false,N/A,N/A,N/A,N/A");
                } else {
                    sb.append(',').append("Active".equals(k.status)).append(',').append(time(k.created)).append(',')
                            .append(k.lastUsed == null ? "N/A" : time(k.lastUsed)).append(',')
                            .append(k.lastRegion == null ? "N/A" : k.lastRegion).append(',')
                            .append(k.lastService == null ? "N/A" : k.lastService);
                }
            }
            sb.append(",false,N/A,false,N/A\n");
        }
        return sb.toString();
    }

    private static String time(Instant t) {
        return Timestamps.iso8601(t).replace("Z", "+00:00");
    }
}
