package dev.terrarium.core.admin;

import dev.terrarium.core.model.Models;
import dev.terrarium.core.model.ServiceInfo;
import dev.terrarium.core.model.ServiceModel;
import dev.terrarium.core.service.ServiceRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Per service: the model's operations and which of them Terrarium implements. */
public final class Coverage {
    public record ServiceCoverage(String service, String serviceId, String protocol, int implemented, int total,
                                  List<String> implementedOperations, List<String> missingOperations) {
    }

    private Coverage() {
    }

    public static List<ServiceCoverage> compute(Models models, ServiceRegistry registry) {
        List<ServiceCoverage> out = new ArrayList<>();
        for (ServiceInfo info : models.services()) {
            ServiceModel model = models.model(info.name());
            Set<String> implemented = registry.implementedOperations(info.name());
            List<String> done = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String op : new TreeSet<>(model.operations().keySet())) {
                (implemented.contains(op) ? done : missing).add(op);
            }
            out.add(new ServiceCoverage(info.name(), info.serviceId(), String.join(", ", info.protocols()),
                    done.size(), model.operations().size(), done, missing));
        }
        return out;
    }

    /** docs/COVERAGE.md: one row per service, then the implemented operations of each implemented service. */
    public static String markdown(Models models, ServiceRegistry registry) {
        List<ServiceCoverage> all = compute(models, registry);
        int implemented = all.stream().mapToInt(ServiceCoverage::implemented).sum();
        int total = all.stream().mapToInt(ServiceCoverage::total).sum();
        StringBuilder md = new StringBuilder();
        md.append("# Coverage\n\n");
        md.append("Generated from the models (").append(models.source()).append(") and the service classes; ")
                .append("do not edit by hand (`mvn -pl terrarium-server test -Dterrarium.writeCoverage=true` rewrites it).\n")
                .append("An operation not implemented answers HTTP 501 `NotImplemented` naming it.\n\n");
        md.append("Operations implemented: **").append(implemented).append(" of ").append(total).append("**\n\n");
        md.append("| Service | Model | Protocols | Implemented | Total |\n|---|---|---|---:|---:|\n");
        for (ServiceCoverage c : all) {
            md.append("| ").append(c.serviceId()).append(" | `").append(c.service()).append("` | ").append(c.protocol())
                    .append(" | ").append(c.implemented()).append(" | ").append(c.total()).append(" |\n");
        }
        for (ServiceCoverage c : all) {
            if (c.implemented() > 0) {
                md.append("\n## ").append(c.serviceId()).append(" (`").append(c.service()).append("`)\n\n");
                md.append("Implemented: ").append(String.join(", ", c.implementedOperations())).append("\n");
                if (!c.missingOperations().isEmpty()) {
                    md.append("\nNot yet: ").append(String.join(", ", c.missingOperations())).append("\n");
                }
            }
        }
        return md.toString();
    }
}
