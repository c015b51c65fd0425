package io.distpatterns.archfixture.dirty.web;

public class PriceController {
}
