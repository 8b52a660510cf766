package dev.terrarium.services.lambda;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The /opt of an execution environment: a function's layers extracted, in order, into a directory of the
 * environment (a local process cannot write /opt). The runtimes find it through the variables AWS's runtimes
 * point at /opt: PYTHONPATH (opt/python, opt/python/lib/python3.x/site-packages), NODE_PATH
 * (opt/nodejs/nodeNN/node_modules, opt/nodejs/node_modules), PATH (opt/bin), LD_LIBRARY_PATH (opt/lib),
 * and for every runtime (custom ones above all) {@value #VARIABLE}, the directory itself.
 */
final class OptDirectory {
    /** Where a function (a provided runtime's bootstrap above all) finds what AWS puts under /opt. */
    static final String VARIABLE = "TERRARIUM_LAMBDA_OPT";

    private OptDirectory() {
    }

    /** A new directory with the layers extracted into it; later layers overwrite the files of earlier ones. */
    static Path extract(List<LayerVersion> layers) throws IOException {
        Path opt = Files.createTempDirectory("terrarium-lambda-opt-");
        DeploymentPackage.deleteOnExit(opt);
        for (LayerVersion layer : layers) {
            layer.content.extractTo(opt);
        }
        return opt;
    }

    /** Points the runtime's search paths at the directory, as AWS's runtimes point them at /opt. */
    static void addTo(Map<String, String> env, Path opt, String runtime) {
        env.put(VARIABLE, opt.toString());
        prepend(env, "PATH", List.of(opt.resolve("bin")));
        prepend(env, "LD_LIBRARY_PATH", List.of(opt.resolve("lib")));
        if (runtime.startsWith("python")) {
            List<Path> paths = new ArrayList<>();
            paths.add(opt.resolve("python"));
            Path lib = opt.resolve("python").resolve("lib");
            if (Files.isDirectory(lib)) {
                try (var versions = Files.list(lib)) {
                    versions.filter(p -> p.getFileName().toString().startsWith("python3")).sorted()
                            .forEach(p -> paths.add(p.resolve("site-packages")));
                } catch (IOException ignored) {
                    // nothing more to add
                }
            }
            prepend(env, "PYTHONPATH", paths);
        } else if (runtime.startsWith("nodejs")) {
            String major = runtime.replaceAll("\\D*(\\d+).*", "$1");
            prepend(env, "NODE_PATH", List.of(opt.resolve("nodejs").resolve("node" + major).resolve("node_modules"),
                    opt.resolve("nodejs").resolve("node_modules")));
        }
    }

    private static void prepend(Map<String, String> env, String name, List<Path> paths) {
        StringBuilder value = new StringBuilder();
        for (Path p : paths) {
            value.append(value.length() == 0 ? "" : File.pathSeparator).append(p);
        }
        String old = env.get(name);
        if (old != null && !old.isEmpty()) {
            value.append(File.pathSeparator).append(old);
        }
        env.put(name, value.toString());
    }
}
