fn main() {
    safewalk::start();
}
