package dev.terrarium.services.logs;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.AggregateLogGroupSummary;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.DataSourceFilter;
import software.amazon.awssdk.services.cloudwatchlogs.model.GroupingIdentifier;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ListAggregateLogGroupSummariesGroupBy;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogFieldsListItem;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroupSummary;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Data sources from the cw:datasource tags: ListLogGroups' filter, the aggregate summaries, the fields found. */
class LogsDataSourcesTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static CloudWatchLogsClient logs;

    @BeforeAll
    static void clients() {
        logs = terrarium.client(CloudWatchLogsClient::builder);
    }

    private static void group(String name, String source, String type) {
        logs.createLogGroup(b -> b.logGroupName(name).tags(type == null
                ? Map.of(DataSources.NAME_TAG, source) : Map.of(DataSources.NAME_TAG, source, DataSources.TYPE_TAG, type)));
    }

    private static String summary(AggregateLogGroupSummary s) {
        return s.groupingIdentifiers().stream().map(GroupingIdentifier::value).collect(Collectors.joining("/"))
                + "=" + s.logGroupCount();
    }

    @Test
    void groupsAreCountedPerDataSourceFromTheirTags() {
        group("/shop/orders", "shop", "orders");
        group("/shop/orders-eu", "shop", "orders");
        group("/shop/payments", "shop", "payments");
        group("/billing", "billing", null);
        logs.createLogGroup(b -> b.logGroupName("/untagged"));
        logs.tagLogGroup(b -> b.logGroupName("/untagged").tags(Map.of("team", "x")));

        var all = logs.listAggregateLogGroupSummaries(b -> b.groupBy(ListAggregateLogGroupSummariesGroupBy.DATA_SOURCE_NAME_AND_TYPE));
        assertThat(all.aggregateLogGroupSummaries()).extracting(LogsDataSourcesTest::summary)
                .containsExactly("billing=1", "shop/orders=2", "shop/payments=1");
        assertThat(all.aggregateLogGroupSummaries().get(1).groupingIdentifiers()).extracting(GroupingIdentifier::key)
                .containsExactly("dataSource.Name", "dataSource.Type");

        assertThat(logs.listAggregateLogGroupSummaries(b -> b.groupBy(ListAggregateLogGroupSummariesGroupBy.DATA_SOURCE_NAME_AND_TYPE)
                .logGroupNamePattern("orders")).aggregateLogGroupSummaries()).extracting(LogsDataSourcesTest::summary)
                .containsExactly("shop/orders=2");
        assertThat(logs.listAggregateLogGroupSummaries(b -> b.groupBy(ListAggregateLogGroupSummariesGroupBy.DATA_SOURCE_NAME_AND_TYPE)
                .dataSources(DataSourceFilter.builder().name("shop").type("payments").build())).aggregateLogGroupSummaries())
                .extracting(LogsDataSourcesTest::summary).containsExactly("shop/payments=1");
        var first = logs.listAggregateLogGroupSummaries(b -> b.groupBy(ListAggregateLogGroupSummariesGroupBy.DATA_SOURCE_NAME_AND_TYPE)
                .limit(2));
        assertThat(first.aggregateLogGroupSummaries()).hasSize(2);
        assertThat(logs.listAggregateLogGroupSummaries(b -> b.groupBy(ListAggregateLogGroupSummariesGroupBy.DATA_SOURCE_NAME_AND_TYPE)
                .nextToken(first.nextToken())).aggregateLogGroupSummaries()).extracting(LogsDataSourcesTest::summary)
                .containsExactly("shop/payments=1");

        // ListLogGroups filters by data source too: names ORed, name and type ANDed
        assertThat(logs.listLogGroups(b -> b.dataSources(DataSourceFilter.builder().name("shop").type("orders").build(),
                DataSourceFilter.builder().name("billing").build())).logGroups()).extracting(LogGroupSummary::logGroupName)
                .containsExactly("/shop/orders", "/shop/orders-eu");
        assertThat(logs.listLogGroups(b -> b.dataSources(DataSourceFilter.builder().name("billing").build())).logGroups())
                .extracting(LogGroupSummary::logGroupName).containsExactly("/billing");

        // the format of a data source is not something Terrarium can tell
        assertThatThrownBy(() -> logs.listAggregateLogGroupSummaries(b -> b.groupBy(
                ListAggregateLogGroupSummariesGroupBy.DATA_SOURCE_NAME_TYPE_AND_FORMAT)))
                .satisfies(t -> assertThat(((CloudWatchLogsException) t).awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void logFieldsAreTheFieldsFoundInTheDataSourcesEvents() {
        group("/shop/orders", "shop", "orders");
        logs.createLogStream(b -> b.logGroupName("/shop/orders").logStreamName("s"));
        long now = System.currentTimeMillis();
        logs.putLogEvents(b -> b.logGroupName("/shop/orders").logStreamName("s").logEvents(
                InputLogEvent.builder().timestamp(now).message("{\"id\":1,\"total\":9.5,\"paid\":true,"
                        + "\"customer\":{\"name\":\"ann\"},\"items\":[\"a\",\"b\"]}").build(),
                InputLogEvent.builder().timestamp(now).message("{\"id\":2,\"total\":10,\"note\":\"gift\"}").build(),
                InputLogEvent.builder().timestamp(now).message("plain line").build()));
        List<LogFieldsListItem> fields = logs.getLogFields(b -> b.dataSourceName("shop").dataSourceType("orders")).logFields();
        Map<String, LogFieldsListItem> byName = fields.stream().collect(Collectors.toMap(LogFieldsListItem::logFieldName, f -> f));
        assertThat(byName.keySet()).containsExactlyInAnyOrder("@message", "id", "total", "paid", "customer", "items", "note");
        assertThat(byName.get("id").logFieldType().type()).isEqualTo("long");
        assertThat(byName.get("total").logFieldType().type()).isEqualTo("double");
        assertThat(byName.get("paid").logFieldType().type()).isEqualTo("boolean");
        assertThat(byName.get("note").logFieldType().type()).isEqualTo("string");
        assertThat(byName.get("items").logFieldType().type()).isEqualTo("array");
        assertThat(byName.get("items").logFieldType().element().type()).isEqualTo("string");
        assertThat(byName.get("customer").logFieldType().type()).isEqualTo("struct");
        assertThat(byName.get("customer").logFieldType().fields()).singleElement()
                .satisfies(f -> assertThat(f.logFieldName() + ":" + f.logFieldType().type()).isEqualTo("name:string"));

        assertThatThrownBy(() -> logs.getLogFields(b -> b.dataSourceName("shop").dataSourceType("refunds")))
                .isInstanceOf(ResourceNotFoundException.class);
    }
}
