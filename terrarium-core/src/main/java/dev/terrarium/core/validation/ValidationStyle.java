package dev.terrarium.core.validation;

import dev.terrarium.core.model.Protocol;
import dev.terrarium.core.model.ServiceInfo;

import java.util.Map;

/**
 * How a service family reports input that breaks its model's constraints. AWS's request
 * validation (Coral) always words the violations the same way ("1 validation error detected:
 * Value 'x' at 'tableName' failed to satisfy constraint: ..."), but the error code differs per
 * family, and some services report a missing required parameter on its own, with their own code
 * and sentence (SQS and EC2: "MissingParameter: The request must contain the parameter X").
 *
 * @param constraintCode     error code for constraint violations (and missing members when missingCode is null)
 * @param missingCode        error code for a missing required member, or null to report it as a
 *                           constraint violation ("Value null at 'x' failed to satisfy constraint: Member must not be null")
 * @param missingFormat      String.format pattern taking the parameter name, used with missingCode
 * @param checkConstraints   false for services whose own code answers bad values with its semantic errors
 *                           (SQS: InvalidAttributeName...; EC2: InvalidParameterValue...); required members are still checked
 * @param checkRequired      false to validate nothing at all (S3 answers with its own codes)
 */
public record ValidationStyle(String constraintCode, String missingCode, String missingFormat,
                              boolean checkConstraints, boolean checkRequired) {

    /** awsJson, restJson and rpcv2Cbor services (DynamoDB, Lambda, KMS, Logs, ...). */
    public static final ValidationStyle JSON = new ValidationStyle("ValidationException", null, null, true, true);
    /** awsQuery services (STS, IAM, SNS, CloudFormation, ...): ValidationError, missing members as "must not be null". */
    public static final ValidationStyle QUERY = new ValidationStyle("ValidationError", null, null, true, true);
    /** SQS, on both of its wires. */
    public static final ValidationStyle SQS = new ValidationStyle("InvalidParameterValue", "MissingParameter",
            "The request must contain the parameter %s.", false, true);
    /** EC2 (ec2Query). */
    public static final ValidationStyle EC2 = new ValidationStyle("InvalidParameterValue", "MissingParameter",
            "The request must contain the parameter %s", false, true);
    /** CloudWatch, on its three wires: modeled MissingParameter (MissingRequiredParameterException). */
    public static final ValidationStyle CLOUDWATCH = new ValidationStyle("ValidationError", "MissingParameter",
            "The parameter %s is required.", true, true);
    /** Cognito user pools: every validation failure is InvalidParameterException. */
    public static final ValidationStyle COGNITO = new ValidationStyle("InvalidParameterException", null, null, true, true);
    /** Route 53 (restXml): InvalidInput with the usual wording. */
    public static final ValidationStyle ROUTE53 = new ValidationStyle("InvalidInput", null, null, true, true);
    /** API Gateway v1: BadRequestException with the usual wording. */
    public static final ValidationStyle APIGATEWAY = new ValidationStyle("BadRequestException", null, null, true, true);
    /** Nothing is validated here; the service reports bad input itself. */
    public static final ValidationStyle NONE = new ValidationStyle("ValidationException", null, null, false, false);

    /** Services that differ from their protocol family's default, by model name. */
    private static final Map<String, ValidationStyle> BY_SERVICE = Map.of(
            "sqs", SQS,
            "ec2", EC2,
            "cloudwatch", CLOUDWATCH,
            "cognito-idp", COGNITO,
            "route53", ROUTE53,
            "apigateway", APIGATEWAY,
            "s3", NONE,
            "s3control", NONE);

    /** The style of a service: its own when it has one, else its primary protocol family's. */
    public static ValidationStyle forService(ServiceInfo info) {
        ValidationStyle own = BY_SERVICE.get(info.name());
        return own != null ? own : forProtocol(info.primaryProtocol());
    }

    public static ValidationStyle forProtocol(Protocol protocol) {
        return switch (protocol) {
            case AWS_QUERY -> QUERY;
            case EC2_QUERY -> EC2;
            default -> JSON;
        };
    }

    public ValidationStyle withConstraintCode(String code) {
        return new ValidationStyle(code, missingCode, missingFormat, checkConstraints, checkRequired);
    }

    public ValidationStyle withMissingParameter(String code, String format) {
        return new ValidationStyle(constraintCode, code, format, checkConstraints, checkRequired);
    }

    public boolean reportsMissingSeparately() {
        return missingCode != null;
    }
}
