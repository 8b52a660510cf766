package dev.terrarium.core.model;

import java.util.List;
import java.util.Set;

/** One operation of a service: its HTTP binding, input and output shapes and modeled errors. */
public final class Operation {
    private final String name;
    private final String httpMethod;
    private final String requestUri;
    private final int responseCode;
    private final Shape input;
    private final Shape output;
    private final String inputLocationName;
    private final String inputXmlNamespace;
    private final String resultWrapper;
    private final List<Shape> errors;
    private final String hostPrefix;
    private final boolean requestChecksumRequired;
    private final String authType;
    private final UriTemplate uriTemplate;
    private final boolean deprecated;
    private final Set<String> staticContextFlags;

    Operation(String name, String httpMethod, String requestUri, int responseCode, Shape input, Shape output,
              String inputLocationName, String inputXmlNamespace, String resultWrapper, List<Shape> errors,
              String hostPrefix, boolean requestChecksumRequired, String authType, boolean deprecated,
              Set<String> staticContextFlags) {
        this.name = name;
        this.httpMethod = httpMethod;
        this.requestUri = requestUri;
        this.responseCode = responseCode;
        this.input = input;
        this.output = output;
        this.inputLocationName = inputLocationName;
        this.inputXmlNamespace = inputXmlNamespace;
        this.resultWrapper = resultWrapper;
        this.errors = errors;
        this.hostPrefix = hostPrefix;
        this.requestChecksumRequired = requestChecksumRequired;
        this.authType = authType;
        this.deprecated = deprecated;
        this.staticContextFlags = staticContextFlags;
        this.uriTemplate = requestUri == null ? null : UriTemplate.parse(requestUri);
    }

    public String name() { return name; }
    public String httpMethod() { return httpMethod; }
    public String requestUri() { return requestUri; }
    /** The HTTP status of a successful response (200 unless the model says otherwise). */
    public int responseCode() { return responseCode; }
    /** The input shape, or null when the operation takes none. */
    public Shape input() { return input; }
    /** The output shape, or null when the operation returns none. */
    public Shape output() { return output; }
    /** restXml: the element name of the input payload, or null. */
    public String inputLocationName() { return inputLocationName; }
    public String inputXmlNamespace() { return inputXmlNamespace; }
    /** awsQuery: the element wrapping the output (e.g. GetCallerIdentityResult), or null. */
    public String resultWrapper() { return resultWrapper; }
    public List<Shape> errors() { return errors; }
    public String hostPrefix() { return hostPrefix; }
    public boolean requestChecksumRequired() { return requestChecksumRequired; }
    /** "none", "v4-unsigned-body", ... or null for plain SigV4. */
    public String authType() { return authType; }
    public UriTemplate uriTemplate() { return uriTemplate; }
    /** Superseded by another operation (S3's PutBucketLifecycle by PutBucketLifecycleConfiguration...). */
    public boolean deprecated() { return deprecated; }
    /**
     * The endpoint-rule parameters the operation sets to true for every call (botocore's staticContextParams:
     * S3's UseS3ExpressControlEndpoint...): they choose the endpoint, and so the signing name, its requests arrive with.
     */
    public Set<String> staticContextFlags() { return staticContextFlags; }

    @Override
    public String toString() { return name; }
}
