package dev.terrarium.core.service;

/**
 * An AWS error as a service raises it: the error code (the model's exception shape name or its
 * query code), a message and, optionally, modeled members. The HTTP status and fault side come
 * from the model's error trait when the code names a modeled shape; otherwise from here.
 */
public class AwsException extends RuntimeException {
    private final String code;
    private final int status;
    private final boolean senderFault;
    private final Struct fields;

    public AwsException(String code, String message) {
        this(code, message, 0, true, null);
    }

    public AwsException(String code, String message, int status) {
        this(code, message, status, status < 500, null);
    }

    public AwsException(String code, String message, int status, boolean senderFault, Struct fields) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
        this.senderFault = senderFault;
        this.fields = fields == null ? Struct.empty() : fields;
    }

    /** With extra modeled members (e.g. CancellationReasons), serialized beside code and message. */
    public AwsException withFields(Struct extra) {
        return new AwsException(code, getMessage(), status, senderFault, extra);
    }

    public String code() { return code; }
    /** The HTTP status given by the service, or 0 to take it from the model (400 when the model is silent). */
    public int status() { return status; }
    public boolean senderFault() { return senderFault; }
    public Struct fields() { return fields; }

    // Common errors every service may answer, named as AWS names them.

    public static AwsException validation(String message) {
        return new AwsException("ValidationException", message, 400);
    }

    public static AwsException notImplemented(String service, String operation) {
        return new AwsException("NotImplemented",
                "The operation " + operation + " of service " + service + " is not yet implemented by Terrarium", 501,
                false, null);
    }

    public static AwsException internal(String message) {
        return new AwsException("InternalFailure", message, 500, false, null);
    }
}
