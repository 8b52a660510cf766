package dev.terrarium.core.iam;

public enum Effect { ALLOW, DENY }
