package dev.terrarium.services.logs;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.AwsOperation;
import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Pagination;
import dev.terrarium.core.service.Struct;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Log anomaly detectors, stored and answered as AWS does (a new detector is TRAINING, a disabled one PAUSED).
 * Terrarium does not learn patterns: ListAnomalies finds none, as a detector still in training would.
 */
final class AnomalyDetectors {
    private static final String DETECTORS = "anomaly-detector";
    private static final long DAY_SECONDS = 86_400;

    private final LogStore store;

    AnomalyDetectors(LogStore store) {
        this.store = store;
    }

    private Map<String, Struct> detectors(Call call) {
        return store.records(DETECTORS, call.account(), call.region());
    }

    private Struct detector(Call call, String arn) {
        Struct d = arn == null ? null : detectors(call).get(arn);
        if (d == null) {
            throw new AwsException("ResourceNotFoundException", "The specified anomaly detector does not exist.");
        }
        return d;
    }

    private static long visibility(Long days) {
        long v = days == null ? 21 : days;
        if (v < 7 || v > 90) {
            throw LogsErrors.invalidParameter("anomalyVisibilityTime must be between 7 and 90 days.");
        }
        return v;
    }

    @AwsOperation("CreateLogAnomalyDetector")
    public Struct createLogAnomalyDetector(Call call, Struct in) {
        List<String> groups = in.strings("logGroupArnList");
        for (String arn : groups) {
            store.group(call, arn);
        }
        if (in.string("filterPattern") != null) {
            FilterPattern.parse(in.string("filterPattern"));
        }
        String arn = "arn:aws:logs:" + call.region() + ":" + call.account() + ":anomaly-detector:" + UUID.randomUUID();
        long now = store.now();
        detectors(call).put(arn, Struct.of("anomalyDetectorArn", arn, "detectorName", in.string("detectorName"),
                "logGroupArnList", groups, "evaluationFrequency", in.string("evaluationFrequency", "FIVE_MIN"),
                "filterPattern", in.string("filterPattern"), "anomalyDetectorStatus", "TRAINING",
                "kmsKeyId", in.string("kmsKeyId"), "creationTimeStamp", now, "lastModifiedTimeStamp", now,
                "anomalyVisibilityTime", visibility(in.longValue("anomalyVisibilityTime"))));
        return Struct.of("anomalyDetectorArn", arn);
    }

    @AwsOperation("GetLogAnomalyDetector")
    public Struct getLogAnomalyDetector(Call call, Struct in) {
        Struct d = detector(call, in.string("anomalyDetectorArn")).copy();
        d.put("anomalyDetectorArn", null);
        return d;
    }

    @AwsOperation("UpdateLogAnomalyDetector")
    public Struct updateLogAnomalyDetector(Call call, Struct in) {
        Struct d = detector(call, in.string("anomalyDetectorArn")).copy();
        if (in.string("evaluationFrequency") != null) {
            d.put("evaluationFrequency", in.string("evaluationFrequency"));
        }
        if (in.string("filterPattern") != null) {
            FilterPattern.parse(in.string("filterPattern"));
            d.put("filterPattern", in.string("filterPattern"));
        }
        if (in.longValue("anomalyVisibilityTime") != null) {
            d.put("anomalyVisibilityTime", visibility(in.longValue("anomalyVisibilityTime")));
        }
        d.put("anomalyDetectorStatus", in.bool("enabled") ? "TRAINING" : "PAUSED");
        d.put("lastModifiedTimeStamp", store.now());
        detectors(call).put(d.string("anomalyDetectorArn"), d);
        return null;
    }

    @AwsOperation("DeleteLogAnomalyDetector")
    public Struct deleteLogAnomalyDetector(Call call, Struct in) {
        detectors(call).remove(detector(call, in.string("anomalyDetectorArn")).string("anomalyDetectorArn"));
        return null;
    }

    @AwsOperation("ListLogAnomalyDetectors")
    public Struct listLogAnomalyDetectors(Call call, Struct in) {
        String group = in.string("filterLogGroupArn");
        List<Struct> matching = detectors(call).values().stream()
                .filter(d -> group == null || d.strings("logGroupArnList").stream()
                        .anyMatch(a -> LogStore.nameOf(a).equals(LogStore.nameOf(group)))).toList();
        Pagination.Page<Struct> page = Pagination.page(matching, d -> d.string("anomalyDetectorArn"), in.string("nextToken"),
                in.integer("limit", 50), LogsErrors::invalidToken);
        return Struct.of("anomalyDetectors", page.items(), "nextToken", page.nextToken());
    }

    @AwsOperation("ListAnomalies")
    public Struct listAnomalies(Call call, Struct in) {
        if (in.string("anomalyDetectorArn") != null) {
            detector(call, in.string("anomalyDetectorArn"));
        }
        return Struct.of("anomalies", List.of());
    }

    @AwsOperation("UpdateAnomaly")
    public Struct updateAnomaly(Call call, Struct in) {
        detector(call, in.string("anomalyDetectorArn"));
        if (in.string("anomalyId") == null && in.string("patternId") == null) {
            throw LogsErrors.invalidParameter("Either anomalyId or patternId must be specified.");
        }
        throw new AwsException("ResourceNotFoundException", "The specified anomaly does not exist.");
    }
}
