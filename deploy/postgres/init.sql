-- One database per service: no service ever reads another's tables.
CREATE DATABASE parts;
CREATE DATABASE warranty;
CREATE DATABASE complaints;
