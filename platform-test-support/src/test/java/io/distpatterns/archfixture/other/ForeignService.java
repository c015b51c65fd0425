package io.distpatterns.archfixture.other;

public class ForeignService {
}
