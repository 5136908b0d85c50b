import "bumpscan/web-worker";
