package dev.terrarium.core.iam;

import dev.terrarium.core.service.Call;
import dev.terrarium.core.service.Struct;

/**
 * Implemented by each service whose calls name resources that policies can name: the authorizer asks it which
 * resource a call acts on (a bucket or an object, a queue, a table, a function or one of its versions, a role...).
 */
public interface IamResourceProvider {

    /** The ARN of the resource this call acts on; null when its input names none (only Resource "*" then matches). */
    String resourceArn(Call call, Struct input);
}
