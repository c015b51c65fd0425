/**
 * Bad input, answered the same way by every Spring MVC service: HTTP 400 with an RFC 9457
 * {@code application/problem+json} body whose {@code errors} list names each offending field and
 * says what is wrong with it. Covers bean-validation failures on bodies and parameters, unreadable
 * or mistyped JSON, mistyped path and query parameters, and {@link
 * io.distpatterns.platform.web.InvalidFieldException} thrown by hand. Services map their own domain
 * exceptions (404, 409, ...) in their own {@code web} package.
 */
package io.distpatterns.platform.web;
