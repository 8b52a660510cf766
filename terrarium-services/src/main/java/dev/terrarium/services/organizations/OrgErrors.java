package dev.terrarium.services.organizations;

import dev.terrarium.core.service.AwsException;
import dev.terrarium.core.service.Struct;

/** Organizations' errors, worded as AWS words them. */
final class OrgErrors {
    private OrgErrors() {
    }

    static AwsException notInUse() {
        return new AwsException("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.");
    }

    static AwsException accessDenied() {
        return new AwsException("AccessDeniedException", "You don't have permissions to access this resource.");
    }

    static AwsException of(String code, String message) {
        return new AwsException(code, message);
    }

    static AwsException invalidInput(String reason, String message) {
        return new AwsException("InvalidInputException", message).withFields(Struct.of("Reason", reason));
    }

    static AwsException constraint(String reason, String message) {
        return new AwsException("ConstraintViolationException", message).withFields(Struct.of("Reason", reason));
    }

    static AwsException accountNotFound() {
        return of("AccountNotFoundException", "You specified an account that doesn't exist.");
    }

    static AwsException parentNotFound() {
        return of("ParentNotFoundException", "You specified a parent that doesn't exist.");
    }

    static AwsException ouNotFound() {
        return of("OrganizationalUnitNotFoundException", "You specified an organizational unit that doesn't exist.");
    }

    static AwsException policyNotFound() {
        return of("PolicyNotFoundException", "We can't find a policy with the PolicyId that you specified.");
    }

    static AwsException targetNotFound() {
        return of("TargetNotFoundException", "You specified a target that doesn't exist.");
    }

    static AwsException rootNotFound() {
        return of("RootNotFoundException", "You specified a root that doesn't exist.");
    }
}
