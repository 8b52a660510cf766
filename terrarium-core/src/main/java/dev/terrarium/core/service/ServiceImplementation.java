package dev.terrarium.core.service;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/** A running service and its operation methods. */
public record ServiceImplementation(AwsService service, Map<String, Method> operations) {

    public boolean implementsOperation(String operation) {
        return operations.containsKey(operation);
    }

    /** Calls the operation's method; an AwsException it throws passes through unchanged. */
    public Struct invoke(String operation, Call call, Struct input) {
        Method m = operations.get(operation);
        try {
            return (Struct) m.invoke(service, call, input);
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
