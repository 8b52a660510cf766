package dev.terrarium.core.protocol.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrarium.core.model.ModelLoader;
import dev.terrarium.core.model.ServiceInfo;
import dev.terrarium.core.model.ServiceModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** A small synthetic model with every shape type and HTTP binding the real models use (protocol/kitchen-model.json). */
public final class Kitchen {
    private static ServiceModel model;

    private Kitchen() {
    }

    public static synchronized ServiceModel model() {
        if (model == null) {
            try (InputStream in = Kitchen.class.getResourceAsStream("/protocol/kitchen-model.json")) {
                ServiceInfo info = new ServiceInfo("kitchen", "2020-01-01", "kitchen", "kitchen", "rest-json",
                        List.of("rest-json"), "Kitchen_2020", "1.1", "Kitchen", null, false, null);
                model = ModelLoader.load(info, new ObjectMapper().readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return model;
    }
}
