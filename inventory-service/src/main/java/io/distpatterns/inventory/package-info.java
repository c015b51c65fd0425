/**
 * inventory-service: Products and stock in its own database; reserves stock all-or-nothing for the order saga.
 *
 * <p>Packages by role: {@code domain} (the rules, free of transport), {@code web} (controllers,
 * request and response records, problem+json mapping), {@code messaging} (Kafka listeners and
 * publishing), {@code persistence} (SQL), {@code config}.
 */
package io.distpatterns.inventory;
