package dev.terrarium.services.dynamodb;

import dev.terrarium.core.testing.TerrariumExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementResponse;
import software.amazon.awssdk.services.dynamodb.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.dynamodb.model.ParameterizedStatement;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.List;
import java.util.Map;

import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.createTable;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.fails;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.n;
import static dev.terrarium.services.dynamodb.DynamoDbTestSupport.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class DynamoDbPartiqlTest {
    @RegisterExtension
    static final TerrariumExtension terrarium = new TerrariumExtension().resetBeforeEach();
    private static DynamoDbClient ddb;

    @BeforeAll
    static void start() {
        ddb = terrarium.client(DynamoDbClient::builder);
    }

    @BeforeEach
    void reset() {
        createTable(ddb, "Songs", ScalarAttributeType.N);
    }

    private static ExecuteStatementResponse run(String statement, AttributeValue... parameters) {
        return ddb.executeStatement(b -> b.statement(statement).parameters(parameters.length == 0 ? null : List.of(parameters)));
    }

    @Test
    void insertSelectUpdateDelete() {
        run("INSERT INTO \"Songs\" VALUE {'pk': 'band', 'sk': 1, 'title': 'One', 'tags': <<'a', 'b'>>, 'meta': {'len': 3.50}}");
        run("INSERT INTO Songs VALUE {'pk': ?, 'sk': ?, 'title': ?}", s("band"), n("2"), s("Two"));
        fails(() -> run("INSERT INTO Songs VALUE {'pk': 'band', 'sk': 1}"), "DuplicateItemException", "Duplicate primary key exists in table");

        ExecuteStatementResponse all = run("SELECT title, meta.len FROM Songs WHERE pk = 'band' AND sk >= 1");
        assertThat(all.items()).hasSize(2);
        assertThat(all.items().get(0)).containsEntry("title", s("One"));
        assertThat(all.items().get(0).get("meta").m()).containsEntry("len", n("3.5"));

        ExecuteStatementResponse updated = run("UPDATE Songs SET plays = 10 SET title = 'Uno' REMOVE meta WHERE pk = 'band' AND sk = 1 RETURNING ALL NEW *");
        assertThat(updated.items().get(0)).containsEntry("plays", n("10")).containsEntry("title", s("Uno")).doesNotContainKey("meta");
        run("UPDATE Songs SET plays = plays + 5 WHERE pk = 'band' AND sk = 1");
        assertThat(run("SELECT * FROM Songs WHERE pk = 'band' AND sk = 1").items().get(0)).containsEntry("plays", n("15"));
        fails(() -> run("UPDATE Songs SET plays = 1 WHERE pk = 'band' AND sk = 9"), "ConditionalCheckFailedException",
                "The conditional request failed");
        fails(() -> run("UPDATE Songs SET plays = 1 WHERE pk = 'band'"), "ValidationException",
                "Where clause does not contain a mandatory equality on all key attributes");

        assertThat(run("SELECT * FROM Songs WHERE pk = 'band' AND plays IS MISSING").items()).hasSize(1);
        fails(() -> run("SELECT * FROM Songs WHERE 'x' IS MISSING"), "ValidationException",
                "Statement wasn't well formed, can't be processed: Expected an attribute path");
        run("DELETE FROM Songs WHERE pk = 'band' AND sk = 2");
        assertThat(run("SELECT * FROM Songs").items()).hasSize(1);
        fails(() -> run("SELEC * FROM Songs"), "ValidationException",
                "Statement wasn't well formed, can't be processed: Unexpected keyword: SELEC");
    }

    @Test
    void selectPagesWithNextToken() {
        for (int i = 0; i < 5; i++) {
            run("INSERT INTO Songs VALUE {'pk': 'p', 'sk': ?}", n(String.valueOf(i)));
        }
        ExecuteStatementResponse first = ddb.executeStatement(b -> b.statement("SELECT sk FROM Songs WHERE pk = 'p'").limit(3));
        assertThat(first.items()).extracting(i -> i.get("sk").n()).containsExactly("0", "1", "2");
        ExecuteStatementResponse rest = ddb.executeStatement(b -> b.statement("SELECT sk FROM Songs WHERE pk = 'p'").nextToken(first.nextToken()));
        assertThat(rest.items()).extracting(i -> i.get("sk").n()).containsExactly("3", "4");
    }

    @Test
    void batchAndTransactions() {
        List<BatchStatementResponse> written = ddb.batchExecuteStatement(b -> b.statements(
                BatchStatementRequest.builder().statement("INSERT INTO Songs VALUE {'pk': 'x', 'sk': 1}").build(),
                BatchStatementRequest.builder().statement("INSERT INTO Songs VALUE {'pk': 'x', 'sk': 1}").build())).responses();
        assertThat(written.get(0).error()).isNull();
        assertThat(written.get(1).error().codeAsString()).isEqualTo("DuplicateItem");

        ddb.executeTransaction(b -> b.transactStatements(
                ParameterizedStatement.builder().statement("INSERT INTO Songs VALUE {'pk': 'x', 'sk': 2}").build(),
                ParameterizedStatement.builder().statement("UPDATE Songs SET v = 1 WHERE pk = 'x' AND sk = 1").build()));
        assertThat(ddb.executeTransaction(b -> b.transactStatements(
                ParameterizedStatement.builder().statement("SELECT * FROM Songs WHERE pk = 'x' AND sk = 1").build())).responses()
                .get(0).item()).containsEntry("v", n("1"));

        TransactionCanceledException e = catchThrowableOfType(() -> ddb.executeTransaction(b -> b.transactStatements(
                ParameterizedStatement.builder().statement("INSERT INTO Songs VALUE {'pk': 'x', 'sk': 3}").build(),
                ParameterizedStatement.builder().statement("INSERT INTO Songs VALUE {'pk': 'x', 'sk': 2}").build())),
                TransactionCanceledException.class);
        assertThat(e.cancellationReasons()).extracting(r -> r.code()).containsExactly("None", "DuplicateItem");
        assertThat(run("SELECT * FROM Songs WHERE pk = 'x' AND sk = 3").items()).isEmpty();
        assertThat(Map.of()).isEmpty();
    }
}
