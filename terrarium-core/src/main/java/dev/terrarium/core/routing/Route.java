package dev.terrarium.core.routing;

import dev.terrarium.core.model.Protocol;
import dev.terrarium.core.model.ServiceInfo;

/** Which service a request is for and which of its wires it speaks. */
public record Route(ServiceInfo service, Protocol protocol) {
}
