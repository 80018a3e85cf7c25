export interface Config {
  esp?: {
    /**
     * Who administers ESP Hub: user or group entity refs, e.g.
     * `group:default/esp-admins`. A user holds the ESP permissions when one of
     * these refs is among the ownership refs of their sign-in (their own ref and
     * the groups they are a member of). Empty or absent: nobody does.
     */
    admins?: string[];
    /**
     * Who may read the providers' status (`esp.status.read`): what the ESP
     * entities' card in the catalog shows, never a setting. User or group
     * entity refs, e.g. `group:default/ops`; the admins always may. Absent:
     * every signed-in user may. An empty list leaves it to the admins.
     */
    statusReaders?: string[];
  };
}
