package dev.terrarium.services.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Small JSON helpers. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static String quote(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON object in the bytes as a map, or null when they hold something else. */
    @SuppressWarnings("unchecked")
    static java.util.Map<String, Object> object(byte[] bytes) {
        try {
            Object v = MAPPER.readValue(bytes, Object.class);
            return v instanceof java.util.Map<?, ?> m ? (java.util.Map<String, Object>) m : null;
        } catch (Exception e) {
            return null;
        }
    }

    static boolean isJson(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes) != null;
        } catch (Exception e) {
            return false;
        }
    }
}
