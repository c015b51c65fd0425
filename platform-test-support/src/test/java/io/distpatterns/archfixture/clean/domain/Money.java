package io.distpatterns.archfixture.clean.domain;

public record Money(long cents) {
}
