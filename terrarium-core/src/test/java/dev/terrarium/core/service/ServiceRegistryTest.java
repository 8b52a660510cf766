package dev.terrarium.core.service;

import dev.terrarium.core.auth.CredentialStore;
import dev.terrarium.core.clock.SystemClock;
import dev.terrarium.core.model.Models;
import dev.terrarium.core.events.LocalEventBus;
import dev.terrarium.core.state.Store;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceRegistryTest {

    @Service(value = "sts", groups = Tokens.class)
    public static final class Grouped implements AwsService {
        private final Tokens tokens = new Tokens("group");

        public Grouped(ServiceContext context) {
        }

        @AwsOperation("GetCallerIdentity")
        public Struct whoAmI(Call call, Struct in) {
            return Struct.of("Account", "service");
        }

        @Override
        public List<Object> operationGroups() {
            return List.of(tokens);
        }
    }

    static final class Tokens {
        private final String answeredBy;

        Tokens(String answeredBy) {
            this.answeredBy = answeredBy;
        }

        @AwsOperation("GetSessionToken")
        public Struct getSessionToken(Call call, Struct in) {
            return Struct.of("AnsweredBy", answeredBy);
        }
    }

    @Service(value = "sts", groups = Tokens.class)
    public static final class ForgetsItsGroup implements AwsService {
        public ForgetsItsGroup(ServiceContext context) {
        }
    }

    @Service(value = "sts", groups = Tokens.class)
    public static final class ImplementsTwice implements AwsService {
        public ImplementsTwice(ServiceContext context) {
        }

        @AwsOperation("GetSessionToken")
        public Struct getSessionToken(Call call, Struct in) {
            return Struct.of();
        }

        @Override
        public List<Object> operationGroups() {
            return List.of(new Tokens("x"));
        }
    }

    @Test
    void operationsOfGroupsCountAndAreCalledOnTheGroupInstance() {
        ServiceRegistry registry = registry(Grouped.class);
        assertThat(registry.implementedOperations("sts")).containsExactly("GetCallerIdentity", "GetSessionToken");
        ServiceImplementation impl = registry.implementation("sts");
        assertThat(impl.invoke("GetSessionToken", null, Struct.of()).string("AnsweredBy")).isEqualTo("group");
        assertThat(impl.invoke("GetCallerIdentity", null, Struct.of()).string("Account")).isEqualTo("service");
    }

    @Test
    void aDeclaredGroupWithoutAnInstanceFailsAtStart() {
        assertThatThrownBy(() -> registry(ForgetsItsGroup.class).implementation("sts"))
                .hasStackTraceContaining("operationGroups() lacks");
    }

    @Test
    void anOperationImplementedTwiceFailsAtStart() {
        assertThatThrownBy(() -> registry(ImplementsTwice.class).implementation("sts"))
                .hasStackTraceContaining("implemented twice");
    }

    private static ServiceRegistry registry(Class<?> type) {
        ServiceContext context = new ServiceContext(Config.defaults(), new SystemClock(), Store.inMemory(),
                new CredentialStore("000000000000"), new LocalEventBus(), Models.fromClasspath());
        return new ServiceRegistry(context, Map.of("sts", type));
    }
}
