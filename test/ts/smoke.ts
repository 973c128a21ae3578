import { expect } from "chai";
import { accreditedFixture, networkHelpers } from "./helpers/fixtures.js";
describe("smoke", () => {
  it("deploys", async () => {
    const f = await networkHelpers.loadFixture(accreditedFixture);
    expect(await f.authority.isActive(f.hospital.address)).to.equal(true);
  });
});
