#!/bin/sh
# Runs one GTest program for automake's TAP driver: TAP output, and keep going
# after a failed assertion so one failure does not hide the others.
exec "$1" --tap -k
