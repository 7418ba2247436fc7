Feature: I file a construction permit online and follow it without an account
  I am the owner of a plot in the ward. I file the application for a permit to build my
  house from home, with a scan of each paper the procedure asks for, and keep the code and
  the secret the receipt gives me. I look my dossier up by its code, typed the way I copy
  it off the screen; when the office asks me for a missing paper I upload it from home, and
  the time I took does not count against the office. When the permit is ready I collect it
  and say how I was served. If I lose the secret, I get a new one on my phone.

  Scenario: filed online, asked for a site plan, supplemented online, collected and rated
    Given it is 09:00 on 2026-06-08 at the ward office
    When I file online for a permit to build a 3-storey house of 60 m² with a scan of each paper
    Then the receipt gives me a dossier code and a secret of 8 characters
    And looking up my code in lower case with spaces, the office is checking my dossier at the desk
    When it is 10:00 on 2026-06-08
    And the one-stop desk accepts my dossier
    Then looking up my code, the office is handling my dossier
    And the steps done so far are "Tiếp nhận, kiểm tra hồ sơ"
    When it is 10:00 on 2026-06-09
    And the Urban Management office asks me for "Bản vẽ mặt bằng vị trí công trình"
    Then looking up my code, the office is waiting for my supplement
    And with my code and secret I see that the office asks for "Bản vẽ mặt bằng vị trí công trình"
    When it is 10:00 on 2026-06-11
    And I upload the site plan with my code and secret
    Then looking up my code, the office is handling my dossier
    And the clock stopped while the office waited for me, 15 working hours
    And my due date moved by those 15 working hours
    When the Urban Management office finds my dossier eligible and my plot as declared
    And the leader signs the permit
    Then looking up my code, my permit is ready to collect
    When the one-stop desk hands me the permit
    Then looking up my code, my dossier is finished
    And the status page shows each step done with its date and no one's name
    And I rate the service on every question of the survey with my secret
    And the satisfaction sheet of the period counts my answers

  Scenario: I lost my secret and get a new one on my phone
    Given it is 09:00 on 2026-06-15 at the ward office
    When I file online for a permit to build a 2-storey house of 50 m² with a scan of each paper
    And I lost the secret and ask for a new one by SMS with my ID number and phone typed with spaces
    Then I am told a new secret was sent if my details match, without the secret
    And a text message with a new secret waits to be sent to my phone
    And the old secret no longer opens my dossier, the new one does
    When someone asks for a new secret with my code and a wrong phone number
    Then they are told the same words
    And no other message is sent
