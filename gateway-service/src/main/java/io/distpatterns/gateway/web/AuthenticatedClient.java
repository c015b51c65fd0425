package io.distpatterns.gateway.web;

import io.distpatterns.gateway.config.GatewayProperties.Role;

/** Who sent a request, once its API key has been checked. Kept as an exchange attribute. */
record AuthenticatedClient(String clientId, String plan, Role role) {

    static final String ATTRIBUTE = AuthenticatedClient.class.getName();
}
