package dev.terrarium.core.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One named shape of a service model, with its members (structure), member (list), key/value (map) and traits. */
public final class Shape {
    private final String name;
    private final ShapeType type;
    final Map<String, Member> members;
    final Set<String> required;
    final Member member;
    final Member key;
    final Member value;
    final Long min;
    final Long max;
    final String pattern;
    final List<String> enumValues;
    final String timestampFormat;
    final boolean flattened;
    final boolean streaming;
    final boolean eventStream;
    final boolean event;
    final boolean union;
    final boolean document;
    final boolean exception;
    final boolean fault;
    final boolean jsonValue;
    final boolean requiresLength;
    final String payload;
    final String locationName;
    final String xmlNamespaceUri;
    final String xmlNamespacePrefix;
    final ErrorTrait error;

    Shape(String name, ShapeType type, Map<String, Member> members, Set<String> required, Member member,
          Member key, Member value, Long min, Long max, String pattern, List<String> enumValues,
          String timestampFormat, boolean flattened, boolean streaming, boolean eventStream, boolean event,
          boolean union, boolean document, boolean exception, boolean fault, boolean jsonValue,
          boolean requiresLength, String payload, String locationName, String xmlNamespaceUri,
          String xmlNamespacePrefix, ErrorTrait error) {
        this.name = name;
        this.type = type;
        this.members = members;
        this.required = required;
        this.member = member;
        this.key = key;
        this.value = value;
        this.min = min;
        this.max = max;
        this.pattern = pattern;
        this.enumValues = enumValues;
        this.timestampFormat = timestampFormat;
        this.flattened = flattened;
        this.streaming = streaming;
        this.eventStream = eventStream;
        this.event = event;
        this.union = union;
        this.document = document;
        this.exception = exception;
        this.fault = fault;
        this.jsonValue = jsonValue;
        this.requiresLength = requiresLength;
        this.payload = payload;
        this.locationName = locationName;
        this.xmlNamespaceUri = xmlNamespaceUri;
        this.xmlNamespacePrefix = xmlNamespacePrefix;
        this.error = error;
    }

    public String name() { return name; }
    public ShapeType type() { return type; }
    public boolean is(ShapeType t) { return type == t; }
    /** Structure members in model order; empty for other types. */
    public Map<String, Member> members() { return members; }
    public Member member(String memberName) { return members.get(memberName); }
    public Set<String> required() { return required; }
    public boolean isRequired(String memberName) { return required.contains(memberName); }
    /** The element reference of a list. */
    public Member listMember() { return member; }
    public Member mapKey() { return key; }
    public Member mapValue() { return value; }
    public Long min() { return min; }
    public Long max() { return max; }
    public String pattern() { return pattern; }
    /** Allowed values of a string enum, or an empty list. */
    public List<String> enumValues() { return enumValues; }
    public String timestampFormat() { return timestampFormat; }
    public boolean flattened() { return flattened; }
    public boolean streaming() { return streaming; }
    public boolean eventStream() { return eventStream; }
    public boolean event() { return event; }
    public boolean union() { return union; }
    public boolean document() { return document; }
    public boolean exception() { return exception; }
    public boolean fault() { return fault; }
    public boolean jsonValue() { return jsonValue; }
    public boolean requiresLength() { return requiresLength; }
    /** The member bound to the HTTP body (restJson/restXml "payload"), or null. */
    public String payload() { return payload; }
    /** The shape-level locationName (XML element name of a structure or list member), or null. */
    public String locationName() { return locationName; }
    public String xmlNamespaceUri() { return xmlNamespaceUri; }
    public String xmlNamespacePrefix() { return xmlNamespacePrefix; }
    /** The error trait of an exception shape, or null. */
    public ErrorTrait error() { return error; }

    /** Members whose location is the body (or unset). */
    public List<Member> bodyMembers() {
        List<Member> body = bodyMembers;
        if (body == null) { // computed once (a benign race: every thread computes the same list)
            body = members.values().stream().filter(m -> m.location() == Location.BODY).toList();
            bodyMembers = body;
        }
        return body;
    }

    private volatile List<Member> bodyMembers;

    static Map<String, Member> none() { return Collections.emptyMap(); }

    @Override
    public String toString() { return name + ":" + type; }
}
