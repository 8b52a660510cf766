package dev.terrarium.core.model;

/**
 * A reference from a structure, list or map to a shape, with the traits that the reference carries
 * (location, wire names, XML attributes, timestamp format...).
 */
public final class Member {
    private final String name;
    private final String targetName;
    private Shape target;
    final Location location;
    final String locationName;
    final String queryName;
    final String xmlName;
    final boolean xmlAttribute;
    final String xmlNamespaceUri;
    final String xmlNamespacePrefix;
    final Boolean flattened;
    final boolean jsonValue;
    final boolean idempotencyToken;
    final String timestampFormat;
    final boolean hostLabel;
    final boolean eventPayload;
    final boolean streaming;

    Member(String name, String targetName, Location location, String locationName, String queryName,
           String xmlName, boolean xmlAttribute, String xmlNamespaceUri, String xmlNamespacePrefix, Boolean flattened,
           boolean jsonValue, boolean idempotencyToken, String timestampFormat, boolean hostLabel,
           boolean eventPayload, boolean streaming) {
        this.name = name;
        this.targetName = targetName;
        this.location = location;
        this.locationName = locationName;
        this.queryName = queryName;
        this.xmlName = xmlName;
        this.xmlAttribute = xmlAttribute;
        this.xmlNamespaceUri = xmlNamespaceUri;
        this.xmlNamespacePrefix = xmlNamespacePrefix;
        this.flattened = flattened;
        this.jsonValue = jsonValue;
        this.idempotencyToken = idempotencyToken;
        this.timestampFormat = timestampFormat;
        this.hostLabel = hostLabel;
        this.eventPayload = eventPayload;
        this.streaming = streaming;
    }

    void link(java.util.Map<String, Shape> shapes) {
        target = shapes.get(targetName);
        if (target == null) {
            throw new IllegalStateException("member " + name + " targets unknown shape " + targetName);
        }
    }

    /** The member's name in the model (the key of the structure's members map, or "member"/"key"/"value"). */
    public String name() { return name; }
    public Shape shape() { return target; }
    public Location location() { return location; }
    /** The name on the wire: locationName when set, else the member name. */
    public String wireName() { return locationName != null ? locationName : name; }
    /** locationName as written in the model, or null. */
    public String locationName() { return locationName; }
    /** ec2Query's explicit query key, or null. */
    public String queryName() { return queryName; }
    /**
     * The member's name on the query and XML wires only (an overlay's xmlName, as Smithy's @xmlName), or
     * null. Unlike locationName it never renames the member on the JSON wire: SQS's JSON model needs
     * its old query names ("AttributeName", "Message"...) without its JSON keys changing.
     */
    public String xmlName() { return xmlName; }
    public boolean xmlAttribute() { return xmlAttribute; }
    public String xmlNamespaceUri() { return xmlNamespaceUri; }
    public String xmlNamespacePrefix() { return xmlNamespacePrefix; }
    /** Flattened on the reference or on the target shape. */
    public boolean flattened() { return flattened != null ? flattened : target.flattened(); }
    /** A string that carries JSON (restJson headers as base64 JSON). */
    public boolean jsonValue() { return jsonValue || target.jsonValue(); }
    public boolean idempotencyToken() { return idempotencyToken; }
    /** The timestamp format on the reference, else on the target shape, or null for the protocol default. */
    public String timestampFormat() { return timestampFormat != null ? timestampFormat : target.timestampFormat(); }
    public boolean hostLabel() { return hostLabel; }
    public boolean eventPayload() { return eventPayload; }
    public boolean streaming() { return streaming || target.streaming(); }

    @Override
    public String toString() { return name + "->" + targetName; }
}
