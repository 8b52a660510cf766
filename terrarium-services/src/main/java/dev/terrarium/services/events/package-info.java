/**
 * The contracts of the events bus between services: one record per topic, published by any service
 * and consumed by the service that owns the target (SqsService subscribes to {@link
 * dev.terrarium.services.events.SqsSend#TOPIC}).
 */
package dev.terrarium.services.events;
