#include <time.h>
#include <stdio.h>
int main(){ struct timespec t; for(int i=0;i<1000000;i++) clock_gettime(CLOCK_MONOTONIC,&t); return 0; }
