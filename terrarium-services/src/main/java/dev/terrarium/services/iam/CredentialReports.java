package dev.terrarium.services.iam;

import dev.terrarium.core.auth.Credential;
import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

import java.nio.charset.StandardCharsets;

/** The credential report. */
final class CredentialReports {
    private final IamSupport iam;

    CredentialReports(IamSupport iam) {
        this.iam = iam;
    }

    @AwsOperation("GenerateCredentialReport")
    public Struct generateCredentialReport(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            boolean fresh = a.credentialReportAt == null;
            a.credentialReportAt = iam.now();
            return Struct.of("State", fresh ? "STARTED" : "COMPLETE",
                    "Description", fresh ? "No report exists. Starting a new report generation task" : null);
        }
    }

    @AwsOperation("GetCredentialReport")
    public Struct getCredentialReport(Call call, Struct in) {
        IamAccount a = iam.account(call);
        synchronized (a) {
            if (a.credentialReportAt == null) {
                throw new AwsException("CredentialReportNotPresentException",
                        "Credential report not present. Please call GenerateCredentialReport.", 410);
            }
            return Struct.of("Content", CredentialReport.csv(a).getBytes(StandardCharsets.UTF_8), "ReportFormat", "text/csv",
                    "GeneratedTime", a.credentialReportAt);
        }
    }
}
