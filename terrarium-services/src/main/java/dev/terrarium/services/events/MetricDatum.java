package dev.terrarium.services.events;

import java.util.Map;

/**
 * Topic {@value #TOPIC}: one CloudWatch metric data point (CloudWatch Logs metric filters), as PutMetricData
 * would record it. Stored once a CloudWatch service subscribes; until then it is dropped.
 */
public record MetricDatum(String account, String region, String namespace, String metricName, double value,
                          String unit, Map<String, String> dimensions, long timestamp) {
    public static final String TOPIC = "cloudwatch:put-metric-data";
}
