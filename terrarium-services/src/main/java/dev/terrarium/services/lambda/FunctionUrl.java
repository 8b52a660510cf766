package dev.terrarium.services.lambda;

import dev.terrarium.core.service.Struct;

/** A function URL configuration (the URL itself is on its own host name, as on AWS). */
final class FunctionUrl {
    final String url;
    final String functionArn;
    final String creationTime;
    volatile String authType;
    volatile Struct cors;
    volatile String invokeMode;
    volatile String lastModifiedTime;

    FunctionUrl(String url, String functionArn, String creationTime) {
        this.url = url;
        this.functionArn = functionArn;
        this.creationTime = creationTime;
        this.lastModifiedTime = creationTime;
    }

    Struct describe() {
        return Struct.of("FunctionUrl", url, "FunctionArn", functionArn, "AuthType", authType, "Cors", cors,
                "CreationTime", creationTime, "LastModifiedTime", lastModifiedTime, "InvokeMode", invokeMode);
    }
}
