package dev.terrarium.core.service;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PaginationAndTagsTest {
    private static final List<String> ITEMS = IntStream.range(0, 25).mapToObj(i -> String.format("q%02d", i)).toList();

    @Test
    void pagesVisitEveryItemOnce() {
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Pagination.Page<String> p = Pagination.page(ITEMS, Function.identity(), token, 10,
                    () -> new AwsException("InvalidNextToken", "bad"));
            seen.addAll(p.items());
            token = p.nextToken();
            pages++;
        } while (token != null);
        assertThat(seen).isEqualTo(ITEMS);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void madeUpTokensAreRefused() {
        assertThatThrownBy(() -> Pagination.page(ITEMS, Function.identity(), "bm9wZQ", 10,
                () -> new AwsException("InvalidNextToken", "bad token")))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("InvalidNextToken"));
        assertThat(Pagination.decode("%%%")).isNull();
        assertThat(Pagination.decode(Pagination.encode("q05"))).isEqualTo("q05");
    }

    @Test
    void tagsFollowAwsRules() {
        Tags tags = new Tags();
        tags.put(Map.of("team", "core", "cost-center", "42"), "InvalidParameterValue");
        assertThat(tags.asMap()).containsEntry("team", "core");
        assertThat(Tags.toList(tags.asMap(), "Key", "Value")).hasSize(2);
        assertThatThrownBy(() -> tags.put(Map.of("aws:reserved", "x"), "InvalidTag"))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.code()).isEqualTo("InvalidTag"));
        assertThatThrownBy(() -> tags.put(Map.of("k".repeat(129), "x"), "InvalidTag")).isInstanceOf(AwsException.class);
        assertThatThrownBy(() -> tags.put(Map.of("bad#key", "x"), "InvalidTag")).isInstanceOf(AwsException.class);
        Map<String, String> many = new java.util.HashMap<>();
        IntStream.range(0, 49).forEach(i -> many.put("k" + i, "v"));
        assertThatThrownBy(() -> tags.put(many, "TooManyTags")).hasMessageContaining("50");
        assertThat(tags.size()).isEqualTo(2);
        tags.remove(List.of("team"));
        assertThat(tags.asMap()).containsOnlyKeys("cost-center");
    }
}
