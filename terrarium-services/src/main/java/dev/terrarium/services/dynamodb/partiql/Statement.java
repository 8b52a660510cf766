package dev.terrarium.services.dynamodb.partiql;

import dev.terrarium.services.dynamodb.AttributeValue;
import dev.terrarium.services.dynamodb.expressions.Condition;
import dev.terrarium.services.dynamodb.expressions.Path;
import dev.terrarium.services.dynamodb.expressions.UpdateExpression;

import java.util.List;
import java.util.Map;

/** A parsed PartiQL statement of DynamoDB's dialect. */
public sealed interface Statement {
    String table();

    /** SELECT paths (empty: *) FROM table[.index] WHERE condition (null: none). */
    record Select(String table, String index, List<Path> projection, Condition where) implements Statement {
    }

    record Insert(String table, Map<String, AttributeValue> item) implements Statement {
    }

    /** UPDATE table SET/REMOVE ... WHERE condition, with the RETURNING choice (ReturnValues wording) or null. */
    record Update(String table, UpdateExpression changes, Condition where, String returning) implements Statement {
    }

    record Delete(String table, Condition where, String returning) implements Statement {
    }
}
