package dev.terrarium.core.model;

import java.util.HashMap;
import java.util.Map;

/** A whole AWS service description: its metadata, operations and shapes. */
public final class ServiceModel {
    private final ServiceInfo info;
    private final Map<String, Operation> operations;
    private final Map<String, Shape> shapes;

    ServiceModel(ServiceInfo info, Map<String, Operation> operations, Map<String, Shape> shapes) {
        this.info = info;
        this.operations = operations;
        this.shapes = shapes;
    }

    public ServiceInfo info() { return info; }
    /** The model resource name, e.g. "sqs", "cloudwatch", "cognito-idp". */
    public String name() { return info.name(); }
    public Map<String, Operation> operations() { return operations; }
    public Operation operation(String name) { return operations.get(name); }
    public Map<String, Shape> shapes() { return shapes; }
    public Shape shape(String name) { return shapes.get(name); }

    /** The exception shape with this name, or whose error code is this code, or null. */
    public Shape errorShape(String codeOrName) {
        Shape byName = shapes.get(codeOrName);
        if (byName != null && byName.exception()) {
            return byName;
        }
        Map<String, Shape> byCode = errorShapesByCode;
        if (byCode == null) { // built once: the dispatcher asks on every request of some protocols (restXml)
            byCode = new HashMap<>();
            for (Shape s : shapes.values()) {
                if (s.exception() && s.error() != null && s.error().code() != null) {
                    byCode.putIfAbsent(s.error().code(), s);
                }
            }
            errorShapesByCode = byCode;
        }
        return byCode.get(codeOrName);
    }

    /** Exception shapes by their error code (the first in model order for a code shared by several). */
    private volatile Map<String, Shape> errorShapesByCode;
}
