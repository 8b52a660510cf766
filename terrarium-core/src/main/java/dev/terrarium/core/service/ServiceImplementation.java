package dev.terrarium.core.service;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** A running service and its operation methods, each with the object it is called on (the service or a group). */
public record ServiceImplementation(AwsService service, Map<String, OperationMethod> operations) {

    /** An operation's method and the instance it is invoked on. */
    public record OperationMethod(Object target, Method method) {
    }

    public boolean implementsOperation(String operation) {
        return operations.containsKey(operation);
    }

    /** Calls the operation's method and waits for its output; an AwsException it throws passes through unchanged. */
    public Struct invoke(String operation, Call call, Struct input) {
        Object result = call(operation, call, input);
        if (result instanceof CompletionStage<?> stage) {
            try {
                return (Struct) stage.toCompletableFuture().join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw e;
            }
        }
        return (Struct) result;
    }

    /**
     * Calls the operation's method without waiting: operations that return a CompletionStage
     * (long polls) complete it later, from another thread, and hold no thread meanwhile.
     */
    @SuppressWarnings("unchecked")
    public CompletionStage<Struct> invokeAsync(String operation, Call call, Struct input) {
        Object result = call(operation, call, input);
        if (result instanceof CompletionStage<?> stage) {
            return (CompletionStage<Struct>) stage;
        }
        return CompletableFuture.completedFuture((Struct) result);
    }

    private Object call(String operation, Call call, Struct input) {
        OperationMethod m = operations.get(operation);
        try {
            return m.method().invoke(m.target(), call, input);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
