package dev.terrarium.core.service;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service implementations on the classpath (listed in META-INF/services/dev.terrarium.core.service.AwsService),
 * known by their @Service model name at start, instantiated on first call.
 */
public final class ServiceRegistry {
    private static final String LISTING = "META-INF/services/" + AwsService.class.getName();
    private final ServiceContext context;
    private final Map<String, Class<?>> classes;
    private final Map<String, ServiceImplementation> instances = new ConcurrentHashMap<>();

    public ServiceRegistry(ServiceContext context) {
        this(context, discover(ServiceRegistry.class.getClassLoader()));
    }

    public ServiceRegistry(ServiceContext context, Map<String, Class<?>> classes) {
        this.context = context;
        this.classes = classes;
    }

    /** Model names of the services that have an implementation. */
    public Set<String> implementedServices() { return Collections.unmodifiableSet(classes.keySet()); }

    /** Operation names a service implements (read from annotations, without instantiating it). */
    public Set<String> implementedOperations(String service) {
        Class<?> type = classes.get(service);
        if (type == null) {
            return Set.of();
        }
        Set<String> names = new java.util.TreeSet<>(operationMethods(type).keySet());
        for (Class<?> group : groupsOf(type)) {
            names.addAll(operationMethods(group).keySet());
        }
        return names;
    }

    public boolean isLoaded(String service) { return instances.containsKey(service); }

    /** The running implementation, created on first use; null when the service has none. */
    public ServiceImplementation implementation(String service) {
        Class<?> type = classes.get(service);
        if (type == null) {
            return null;
        }
        return instances.computeIfAbsent(service, s -> instantiate(type));
    }

    /** Closes every running service (server shutdown); a failing close does not stop the others. */
    public void close() {
        for (ServiceImplementation i : instances.values()) {
            try {
                i.service().close();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(ServiceRegistry.class).warn("closing {} failed", i.service(), e);
            }
        }
    }

    /** Resets one service's state, or all when service is null. */
    public void reset(String service) {
        if (service == null) {
            instances.values().forEach(i -> i.service().reset());
            context.store().resetAll();
        } else {
            ServiceImplementation impl = instances.get(service);
            if (impl != null) {
                impl.service().reset();
            }
            context.store().reset(service);
        }
    }

    private ServiceImplementation instantiate(Class<?> type) {
        try {
            AwsService instance = (AwsService) type.getConstructor(ServiceContext.class).newInstance(context);
            return new ServiceImplementation(instance, bind(type, instance));
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("service " + type.getName() + " failed to start", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getName() + " needs a public constructor taking ServiceContext", e);
        }
    }

    /** Every operation of a service instance, with the object (service or group) that answers it. */
    static Map<String, ServiceImplementation.OperationMethod> bind(Class<?> type, AwsService instance) {
        Map<String, ServiceImplementation.OperationMethod> bound = new HashMap<>();
        operationMethods(type).forEach((op, m) -> bound.put(op, new ServiceImplementation.OperationMethod(instance, m)));
        for (Class<?> group : groupsOf(type)) {
            Object target = instance.operationGroups().stream().filter(group::isInstance).findFirst()
                    .orElseThrow(() -> new IllegalStateException(type.getName() + ".operationGroups() lacks a " + group.getName()));
            operationMethods(group).forEach((op, m) -> {
                m.trySetAccessible(); // a group may be a package-private class
                if (bound.put(op, new ServiceImplementation.OperationMethod(target, m)) != null) {
                    throw new IllegalStateException(op + " is implemented twice in " + type.getName() + " and its groups");
                }
            });
        }
        return bound;
    }

    private static Class<?>[] groupsOf(Class<?> type) {
        Service s = type.getAnnotation(Service.class);
        return s == null ? new Class<?>[0] : s.groups();
    }

    static Map<String, Method> operationMethods(Class<?> type) {
        Map<String, Method> methods = new HashMap<>();
        for (Method m : type.getMethods()) {
            AwsOperation op = m.getAnnotation(AwsOperation.class);
            if (op != null && !Modifier.isStatic(m.getModifiers())) {
                Class<?>[] params = m.getParameterTypes();
                if (params.length != 2 || params[0] != Call.class || params[1] != Struct.class
                        || (m.getReturnType() != Struct.class && !CompletionStage.class.isAssignableFrom(m.getReturnType()))) {
                    throw new IllegalStateException(type.getName() + "." + m.getName()
                            + " must be Struct (or CompletionStage<Struct>) " + m.getName() + "(Call, Struct)");
                }
                methods.put(op.value(), m);
            }
        }
        return methods;
    }

    static Map<String, Class<?>> discover(ClassLoader loader) {
        Map<String, Class<?>> found = new TreeMap<>();
        try {
            Enumeration<URL> listings = loader.getResources(LISTING);
            while (listings.hasMoreElements()) {
                try (InputStream in = listings.nextElement().openStream();
                     BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        line = line.replaceAll("#.*", "").trim();
                        if (!line.isEmpty()) {
                            Class<?> type = Class.forName(line, false, loader);
                            Service name = type.getAnnotation(Service.class);
                            if (name == null) {
                                throw new IllegalStateException(line + " lacks @Service");
                            }
                            found.put(name.value(), type);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("listed service class missing: " + e.getMessage(), e);
        }
        return found;
    }
}
