package dev.terrarium.services.lambda;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the execution environments of PackageType Image functions in Docker containers: the image is pulled when the
 * engine does not have it, and the container gets AWS_LAMBDA_RUNTIME_API pointing at the environment's Runtime API
 * listener (so AWS's base images' /lambda-entrypoint.sh runs the runtime interface client, not the emulator), the
 * function's environment, the ImageConfig overrides and the memory setting as its limit. On Linux the container shares
 * the host's network (the listener is on 127.0.0.1); elsewhere (Docker Desktop) it reaches the host as
 * host.docker.internal. The container's logs become the function's log; it is removed when it stops or is killed.
 */
final class ContainerExecutor {
    /** Where Lambda's base images keep the function: LAMBDA_TASK_ROOT in the container. */
    static final Path TASK_ROOT = Path.of("/var/task");
    private static final long PING_VALID_MILLIS = 2000;
    /** Variables of a local runtime process that describe this machine, not the container (the image sets its own). */
    private static final Set<String> HOST_ONLY = Set.of("PATH", "LD_LIBRARY_PATH", "LANG", "HOME", "SYSTEMROOT", "TMPDIR",
            "TMP", "_HANDLER", "AWS_EXECUTION_ENV", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE");

    /** Starts the runtime of an environment elsewhere (see ExecutionEnvironment#start(Launcher)); its output goes to {@code output}. */
    interface Launcher {
        Process launch(Path output) throws IOException;
    }

    private final Map<String, Object> pulling = new ConcurrentHashMap<>();
    private volatile String pingedEndpoint;
    private volatile long pingedAtMillis;

    static boolean hostNetwork() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }

    /**
     * Checks that a Docker engine answers, before an invocation of an image function is accepted. Without one the
     * caller gets InvalidRuntimeException (502): the code Terrarium gives when a .zip function's runtime cannot run on
     * this machine either. The request is fine and AWS would run it; what is missing is the runtime environment, and the
     * message says which (Docker, at which endpoint) and how to provide it. A ServiceException would read as a bug.
     */
    void check() {
        DockerEngine engine = engine();
        if (engine.endpoint.equals(pingedEndpoint) && System.currentTimeMillis() - pingedAtMillis < PING_VALID_MILLIS) {
            return;
        }
        try {
            engine.ping();
            pingedEndpoint = engine.endpoint;
            pingedAtMillis = System.currentTimeMillis();
        } catch (IOException e) {
            pingedEndpoint = null;
            throw noDocker(e.getMessage());
        }
    }

    /** The configured engine; an endpoint of another kind (ssh://, npipe://) is no engine for Terrarium. */
    private static DockerEngine engine() {
        try {
            return DockerEngine.configured();
        } catch (IllegalArgumentException e) {
            throw noDocker(e.getMessage());
        }
    }

    private static AwsException noDocker(String why) {
        return new AwsException("InvalidRuntimeException", "PackageType Image functions run in Docker containers, and "
                + "Docker is not available: " + why + ". Start a Docker engine, or point DOCKER_HOST (or "
                + "TERRARIUM_DOCKER_HOST) at one (unix:///path/to/docker.sock or tcp://host:port).")
                .withFields(Struct.of("Type", "User"));
    }

    /**
     * Creates and starts the container of an environment. {@code local} is the environment a local runtime would get:
     * what describes this machine is left out, the Runtime API address is the one the container reaches.
     */
    void start(ExecutionEnvironment env, FunctionVersion v, Map<String, String> local) throws IOException {
        DockerEngine engine = engine();
        ContainerImage image = v.image;
        boolean hostNetwork = hostNetwork();
        try {
            prepare(engine, image);
        } catch (DockerEngine.DockerException e) {
            throw e.status == 0 ? noDocker(e.getMessage()) : new AwsException("InvalidParameterValueException",
                    "Docker could not provide image " + image.imageUri + ": " + e.getMessage());
        }
        String port = env.runtimeApi().substring(env.runtimeApi().lastIndexOf(':') + 1);
        Map<String, String> variables = environment(local, v, (hostNetwork ? "127.0.0.1:" : "host.docker.internal:") + port,
                hostNetwork);
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("Memory", v.memorySize * 1024L * 1024L);
        if (hostNetwork) {
            host.put("NetworkMode", "host");
        } else {
            host.put("ExtraHosts", List.of("host.docker.internal:host-gateway"));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("Image", image.reference());
        config.put("Env", DockerEngine.env(variables));
        if (image.entryPoint != null) {
            config.put("Entrypoint", image.entryPoint);
        }
        if (image.command != null) {
            config.put("Cmd", image.command);
        }
        if (image.workingDirectory != null) {
            config.put("WorkingDir", image.workingDirectory);
        }
        config.put("Tty", false);
        config.put("Labels", Map.of("dev.terrarium.lambda.function", v.qualifiedArn(),
                "dev.terrarium.lambda.log-stream", env.logStreamName));
        config.put("HostConfig", host);
        String name = "terrarium-lambda-" + v.functionName + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String id;
        try {
            id = engine.create(name, config);
        } catch (DockerEngine.DockerException e) {
            throw e.status == 0 ? noDocker(e.getMessage())
                    : new AwsException("InvalidParameterValueException", "Docker could not create a container of image "
                    + image.imageUri + ": " + e.getMessage());
        }
        env.start(output -> {
            try {
                engine.start(id);
            } catch (IOException e) {
                try {
                    engine.remove(id);
                } catch (IOException ignored) {
                    // the engine went away
                }
                throw new AwsException("InvalidParameterValueException", "Docker could not start the container of image "
                        + image.imageUri + ": " + e.getMessage());
            }
            return new ContainerProcess(engine, id, output);
        });
    }

    /** Pulls the image when the engine lacks it (once at a time per image) and learns its digest. */
    private void prepare(DockerEngine engine, ContainerImage image) throws IOException {
        String ref = image.reference();
        synchronized (pulling.computeIfAbsent(engine.endpoint + " " + ref, k -> new Object())) {
            Map<String, Object> info = engine.inspectImage(ref);
            if (info == null) {
                engine.pull(image.repository, image.digest != null ? image.digest : image.tag);
                info = engine.inspectImage(ref);
                if (info == null) {
                    throw new DockerEngine.DockerException(404, "the image is not there after it was pulled");
                }
            }
            if (image.resolvedImageUri == null && info.get("RepoDigests") instanceof List<?> digests) {
                for (Object d : digests) {
                    String digest = String.valueOf(d);
                    if (digest.startsWith(image.repository + "@")) {
                        image.resolvedImageUri = digest;
                    }
                }
            }
        }
    }

    /** The container's environment: the function's variables and Lambda's, without what only describes this machine. */
    static Map<String, String> environment(Map<String, String> local, FunctionVersion v, String runtimeApi,
                                           boolean hostNetwork) {
        Map<String, String> e = new TreeMap<>(local);
        e.keySet().removeAll(HOST_ONLY);
        e.putAll(v.environment);
        e.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        e.put("LAMBDA_TASK_ROOT", TASK_ROOT.toString());
        e.put("LAMBDA_RUNTIME_DIR", "/var/runtime");
        String endpoint = e.get("AWS_ENDPOINT_URL");
        if (!hostNetwork && endpoint != null) {
            e.put("AWS_ENDPOINT_URL", endpoint.replaceFirst("//(localhost|127\\.0\\.0\\.1)(?=[:/]|$)",
                    "//host.docker.internal"));
        }
        return e;
    }
}
