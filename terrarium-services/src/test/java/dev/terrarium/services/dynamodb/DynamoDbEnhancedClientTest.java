package dev.terrarium.services.dynamodb;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;
import software.amazon.awssdk.enhanced.dynamodb.extensions.annotations.DynamoDbVersionAttribute;
import software.amazon.awssdk.enhanced.dynamodb.model.EnhancedGlobalSecondaryIndex;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DynamoDbEnhancedClientTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension();
    private static DynamoDbClient ddb;

    @DynamoDbBean
    public static class Customer {
        private String id;
        private String email;
        private Integer age;
        private Long version;

        @DynamoDbPartitionKey
        public String getId() { return id; }
        public void setId(String id) { this.id = id; }

        @DynamoDbSortKey
        public String getEmail() { return email; }
        public void setEmail(String email) { this.email = email; }

        @DynamoDbSecondaryPartitionKey(indexNames = "ByAge")
        public Integer getAge() { return age; }
        public void setAge(Integer age) { this.age = age; }

        @DynamoDbVersionAttribute
        public Long getVersion() { return version; }
        public void setVersion(Long version) { this.version = version; }
    }

    @BeforeAll
    static void start() {
        ddb = terrarium.client(DynamoDbClient::builder);
    }

    private static Customer customer(String id, String email, int age) {
        Customer c = new Customer();
        c.setId(id);
        c.setEmail(email);
        c.setAge(age);
        return c;
    }

    @Test
    void beansRoundTripWithOptimisticLockingQueriesAndIndexes() {
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(ddb).build();
        DynamoDbTable<Customer> table = enhanced.table("Customers", TableSchema.fromBean(Customer.class));
        table.createTable(b -> b.globalSecondaryIndices(EnhancedGlobalSecondaryIndex.builder().indexName("ByAge")
                .projection(p -> p.projectionType(ProjectionType.ALL)).build()));

        table.putItem(customer("c1", "a@x.org", 30));
        table.putItem(customer("c1", "b@x.org", 40));
        table.putItem(customer("c2", "c@x.org", 30));
        Customer loaded = table.getItem(Key.builder().partitionValue("c1").sortValue("a@x.org").build());
        assertThat(loaded.getAge()).isEqualTo(30);
        assertThat(loaded.getVersion()).isEqualTo(1L);

        loaded.setAge(31);
        table.updateItem(loaded);
        Customer stale = customer("c1", "a@x.org", 99);
        stale.setVersion(1L);
        assertThatThrownBy(() -> table.putItem(stale)).isInstanceOf(ConditionalCheckFailedException.class);

        List<String> emails = table.query(QueryConditional.keyEqualTo(k -> k.partitionValue("c1"))).items().stream()
                .map(Customer::getEmail).toList();
        assertThat(emails).containsExactly("a@x.org", "b@x.org");
        List<String> sortedBeginsWith = table.query(r -> r.queryConditional(QueryConditional.sortBeginsWith(k -> k.partitionValue("c1").sortValue("b")))
                .filterExpression(Expression.builder().expression("age > :a").expressionValues(
                        Map.of(":a", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN("35"))).build()))
                .items().stream().map(Customer::getEmail).toList();
        assertThat(sortedBeginsWith).containsExactly("b@x.org");

        DynamoDbIndex<Customer> byAge = table.index("ByAge");
        List<String> thirty = byAge.query(QueryConditional.keyEqualTo(k -> k.partitionValue(30))).stream()
                .flatMap(p -> p.items().stream()).map(Customer::getId).collect(Collectors.toList());
        assertThat(thirty).containsExactly("c2");
        assertThat(table.scan().items().stream().count()).isEqualTo(3);
        table.deleteItem(Key.builder().partitionValue("c2").sortValue("c@x.org").build());
        assertThat(table.scan().items().stream().count()).isEqualTo(2);
    }
}
