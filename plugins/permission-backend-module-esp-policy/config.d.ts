export interface Config {
  esp?: {
    /**
     * Who administers ESP Hub: user or group entity refs, e.g.
     * `group:default/esp-admins`. A user holds the ESP permissions when one of
     * these refs is among the ownership refs of their sign-in (their own ref and
     * the groups they are a member of). Empty or absent: nobody does.
     */
    admins?: string[];
  };
}
