// The lab's public surface: run the lab's steps from code (the end-to-end test does).
export {};
