package dev.terrarium.core.service;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the model an {@link AwsService} implements, e.g. @Service("sts"). A large service splits its
 * operations into groups: classes named in {@link #groups()} whose {@link AwsOperation} methods belong to
 * the service too; the running service hands out their instances through {@link AwsService#operationGroups()}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Service {
    String value();

    /** Classes holding more of the service's operations, e.g. {Layers.class, EventInvokeConfigs.class}. */
    Class<?>[] groups() default {};
}
