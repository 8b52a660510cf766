package dev.terrarium.core.model;

import java.util.List;

/**
 * What routing needs to know about a service without loading its model: names, protocols,
 * JSON target prefix, API version and XML namespace. Read from models/index.json.
 */
public record ServiceInfo(
        String name,
        String apiVersion,
        String endpointPrefix,
        String signingName,
        String protocol,
        List<String> protocols,
        String targetPrefix,
        String jsonVersion,
        String serviceId,
        String xmlNamespace,
        boolean awsQueryCompatible,
        String globalEndpoint) {

    public boolean speaks(Protocol p) {
        for (String id : protocols) {
            if (Protocol.fromModel(id) == p) {
                return true;
            }
        }
        return false;
    }

    /** The service's primary protocol. */
    public Protocol primaryProtocol() {
        return Protocol.fromModel(protocols.isEmpty() ? protocol : protocols.get(0));
    }
}
